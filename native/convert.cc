#include "convert.h"

#include "status.h"

#include <cmath>

namespace tfnapi {

int64_t ToInt64(Napi::Env env, const Napi::Value& value, const char* what, int64_t lo, int64_t hi) {
  if (value.IsBigInt()) {
    bool lossless;
    int64_t v = value.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless || v < lo || v > hi) throw Napi::RangeError::New(env, std::string(what) + " is out of range");
    return v;
  }
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d) {
    throw Napi::TypeError::New(env, std::string(what) + " must be an integer");
  }
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    throw Napi::RangeError::New(env, std::string(what) + " is out of range");
  }
  return static_cast<int64_t>(d);
}

Napi::Array ReadArray(Napi::Env env, const Napi::Value& value, const std::string& what) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, what + " must be an array");
  return value.As<Napi::Array>();
}

bool IsUint8Array(const Napi::Value& value) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
}

// napi_get_typedarray_info rather than ArrayBuffer().Data(): the latter rejects a SharedArrayBuffer.
std::string_view BytesOf(const Napi::TypedArray& array) {
  void* data = nullptr;
  napi_status status = napi_get_typedarray_info(array.Env(), array, nullptr, nullptr, &data, nullptr, nullptr);
  NAPI_THROW_IF_FAILED(array.Env(), status, std::string_view());
  return std::string_view(static_cast<const char*>(data), array.ByteLength());
}

bool TryReadBytes(const Napi::Value& value, std::string* out) {
  if (value.IsString()) {
    *out = value.As<Napi::String>().Utf8Value();
    return true;
  }
  if (!IsUint8Array(value)) return false;
  out->assign(BytesOf(value.As<Napi::TypedArray>()));
  return true;
}

std::string ReadBytes(Napi::Env env, const Napi::Value& value, const std::string& what) {
  std::string bytes;
  if (!TryReadBytes(value, &bytes)) throw Napi::TypeError::New(env, what + " must be a string or Uint8Array");
  return bytes;
}

Napi::Buffer<uint8_t> CopyToBuffer(Napi::Env env, const TF_Buffer* buffer) {
  return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(buffer->data), buffer->length);
}

Napi::Array DimsToArray(Napi::Env env, const std::vector<int64_t>& dims) {
  Napi::Array out = Napi::Array::New(env, dims.size());
  for (size_t i = 0; i < dims.size(); ++i) out.Set(i, Napi::Number::New(env, static_cast<double>(dims[i])));
  return out;
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

}  // namespace tfnapi
