#include "common.h"

#include <cmath>

namespace tfnapi {

Napi::Value MakeError(Napi::Env env, int code, const std::string& message) {
  AddonData& data = Instance(env);
  if (!data.errorFactory.IsEmpty()) {
    return data.errorFactory.Call({Napi::Number::New(env, code), Napi::String::New(env, message)});
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::Number::New(env, code));
  return error.Value();
}

void ThrowCode(Napi::Env env, int code, const std::string& message) {
  throw Napi::Error(env, MakeError(env, code, message));
}

bool ThrowIfNotOk(Napi::Env env, TF_Status* status) {
  if (TF_GetCode(status) == TF_OK) return false;
  ThrowCode(env, TF_GetCode(status), TF_Message(status));
}

Napi::Buffer<uint8_t> CopyToBuffer(Napi::Env env, const TF_Buffer* buffer) {
  return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(buffer->data), buffer->length);
}

Napi::Array DeviceListToArray(Napi::Env env, TF_DeviceList* list) {
  StatusPtr status = NewStatus();
  int count = TF_DeviceListCount(list);
  Napi::Array out = Napi::Array::New(env, count);
  for (int i = 0; i < count; ++i) {
    Napi::Object device = Napi::Object::New(env);
    device.Set("name", TF_DeviceListName(list, i, status.get()));
    device.Set("type", TF_DeviceListType(list, i, status.get()));
    device.Set("memoryBytes", Napi::Number::New(env, static_cast<double>(TF_DeviceListMemoryBytes(list, i, status.get()))));
    out.Set(i, device);
  }
  TF_DeleteDeviceList(list);
  return out;
}

int64_t ToInt64(Napi::Env env, const Napi::Value& value, const char* what, int64_t lo, int64_t hi) {
  double d;
  if (value.IsBigInt()) {
    bool lossless;
    int64_t v = value.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless || v < lo || v > hi) throw Napi::RangeError::New(env, std::string(what) + " is out of range");
    return v;
  }
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must be a number");
  d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d) {
    throw Napi::TypeError::New(env, std::string(what) + " must be an integer");
  }
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    throw Napi::RangeError::New(env, std::string(what) + " is out of range");
  }
  return static_cast<int64_t>(d);
}

}  // namespace tfnapi
