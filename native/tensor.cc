#include "tensor.h"

#include "addon.h"
#include "convert.h"
#include "shape_limits.h"
#include "status.h"

#include <tensorflow/c/tf_tstring.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace tfnapi {

std::atomic<int64_t> Tensor::live_{0};

namespace {

struct HostLayout {
  napi_typedarray_type array;
  int lanes;  // typed-array elements per tensor element (2 for complex)
};

// How each host-readable dtype is laid out in a JS TypedArray.
bool LayoutOf(TF_DataType dtype, HostLayout* out) {
  switch (dtype) {
    case TF_FLOAT: *out = {napi_float32_array, 1}; return true;
    case TF_DOUBLE: *out = {napi_float64_array, 1}; return true;
    case TF_INT32: case TF_QINT32: *out = {napi_int32_array, 1}; return true;
    case TF_UINT8: case TF_QUINT8: case TF_BOOL: *out = {napi_uint8_array, 1}; return true;
    case TF_INT16: case TF_QINT16: *out = {napi_int16_array, 1}; return true;
    case TF_INT8: case TF_QINT8: *out = {napi_int8_array, 1}; return true;
    case TF_UINT16: case TF_QUINT16: case TF_HALF: case TF_BFLOAT16: *out = {napi_uint16_array, 1}; return true;
    case TF_UINT32: *out = {napi_uint32_array, 1}; return true;
    case TF_INT64: *out = {napi_bigint64_array, 1}; return true;
    case TF_UINT64: *out = {napi_biguint64_array, 1}; return true;
    case TF_COMPLEX64: *out = {napi_float32_array, 2}; return true;
    case TF_COMPLEX128: *out = {napi_float64_array, 2}; return true;
    default: return false;
  }
}

const char* ArrayName(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

// Buffer deallocator for string tensors we build: each TF_TString may own heap memory.
void FreeStrings(void* data, size_t len, void*) {
  auto* strings = static_cast<TF_TString*>(data);
  for (size_t i = 0; i < len / sizeof(TF_TString); ++i) TF_StringDealloc(&strings[i]);
  std::free(data);
}

std::vector<int64_t> ReadShape(Napi::Env env, const Napi::Value& value, int64_t* elements) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, "shape must be an array of non-negative integers");
  Napi::Array array = value.As<Napi::Array>();
  std::vector<int64_t> dims(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) dims[i] = ToInt64(env, array.Get(i), "shape dimension", 0, INT64_C(1) << 40);
  CheckShapeLimits(env, dims, "shape");
  // Host data is held to 2^40 elements, well under TF's own limit.
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d != 0 && count > (INT64_C(1) << 40) / d) throw Napi::RangeError::New(env, "shape has too many elements");
    count *= d;
  }
  *elements = count;
  return dims;
}

TF_Tensor* NewStringTensor(Napi::Env env, const std::vector<int64_t>& dims, int64_t elements, const Napi::Value& data) {
  if (!data.IsArray()) throw Napi::TypeError::New(env, "string tensor data must be an array of strings or Uint8Arrays");
  Napi::Array values = data.As<Napi::Array>();
  if (static_cast<int64_t>(values.Length()) != elements) {
    throw Napi::RangeError::New(env, "string tensor data has " + std::to_string(values.Length()) +
                                         " values but its shape has " + std::to_string(elements) + " elements");
  }
  // Read every value before allocating, so a bad value leaks nothing.
  std::vector<std::string> bytes(elements);
  for (int64_t i = 0; i < elements; ++i) {
    if (!TryReadBytes(values.Get(static_cast<uint32_t>(i)), &bytes[i])) {
      throw Napi::TypeError::New(env, "string tensor value " + std::to_string(i) + " is not a string or Uint8Array");
    }
  }
  size_t byteLength = sizeof(TF_TString) * static_cast<size_t>(elements);
  size_t alignment = TF_TensorDefaultAlignment();
  size_t rounded = ((byteLength + alignment - 1) / alignment) * alignment;
  auto* strings = static_cast<TF_TString*>(std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded));
  if (strings == nullptr) throw Napi::RangeError::New(env, "out of memory for string tensor");
  for (int64_t i = 0; i < elements; ++i) {
    TF_StringInit(&strings[i]);
    TF_StringCopy(&strings[i], bytes[i].data(), bytes[i].size());
  }
  return TF_NewTensor(TF_STRING, dims.data(), static_cast<int>(dims.size()), strings, byteLength, FreeStrings, nullptr);
}

TF_Tensor* NewNumericTensor(Napi::Env env, TF_DataType dtype, const std::vector<int64_t>& dims, int64_t elements,
                            const Napi::Value& data) {
  HostLayout layout;
  if (!LayoutOf(dtype, &layout)) {
    ThrowCode(env, TF_INVALID_ARGUMENT, "cannot create a tensor of dtype " + std::to_string(dtype) + " from host data");
  }
  if (!data.IsTypedArray()) {
    throw Napi::TypeError::New(env, std::string("tensor data must be a ") + ArrayName(layout.array));
  }
  Napi::TypedArray array = data.As<Napi::TypedArray>();
  if (array.TypedArrayType() != layout.array) {
    throw Napi::TypeError::New(env, std::string("tensor data of dtype ") + std::to_string(dtype) + " must be a " +
                                        ArrayName(layout.array) + ", got a " + ArrayName(array.TypedArrayType()));
  }
  int64_t expected = elements * layout.lanes;
  if (static_cast<int64_t>(array.ElementLength()) != expected) {
    throw Napi::RangeError::New(env, "tensor data has " + std::to_string(array.ElementLength()) +
                                         " values but its shape needs " + std::to_string(expected));
  }
  std::string_view source = BytesOf(array);
  TF_Tensor* tensor = TF_AllocateTensor(dtype, dims.data(), static_cast<int>(dims.size()), source.size());
  if (tensor == nullptr) ThrowCode(env, TF_RESOURCE_EXHAUSTED, "could not allocate tensor");
  if (dtype == TF_BOOL) {
    auto* out = static_cast<uint8_t*>(TF_TensorData(tensor));
    for (size_t i = 0; i < source.size(); ++i) out[i] = source[i] != 0;
  } else if (!source.empty()) {
    std::memcpy(TF_TensorData(tensor), source.data(), source.size());
  }
  return tensor;
}

}  // namespace

Napi::Function Tensor::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "Tensor",
                                    {
                                        InstanceAccessor<&Tensor::DType>("dtype"),
                                        InstanceAccessor<&Tensor::Shape>("shape"),
                                        InstanceAccessor<&Tensor::ByteLength>("byteLength"),
                                        InstanceAccessor<&Tensor::IsDisposed>("disposed"),
                                        InstanceMethod<&Tensor::Data>("data"),
                                        InstanceMethod<&Tensor::Dispose>("dispose"),
                                    });
  return KeepConstructor(Instance(env).tensorConstructor, ctor);
}

Napi::Object Tensor::Wrap(Napi::Env env, TF_Tensor* tensor) {
  return Instance(env).tensorConstructor.New({Napi::External<TF_Tensor>::New(env, tensor)});
}

Tensor* Tensor::FromValue(Napi::Env env, const Napi::Value& value, const char* what) {
  if (Tensor* tensor = UnwrapIf<Tensor>(value, Instance(env).tensorConstructor)) return tensor;
  throw Napi::TypeError::New(env, std::string(what) + " must be a native Tensor");
}

// new Tensor(dtype, shape, data), or the internal form new Tensor(External<TF_Tensor>).
Tensor::Tensor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Tensor>(info) {
  Napi::Env env = info.Env();
  if (info.Length() == 1 && info[0].IsExternal()) {
    tensor_ = info[0].As<Napi::External<TF_Tensor>>().Data();
  } else {
    if (info.Length() != 3) throw Napi::TypeError::New(env, "Tensor(dtype, shape, data) takes 3 arguments");
    auto dtype = static_cast<TF_DataType>(ToInt64(env, info[0], "dtype", 1, 1000));
    int64_t elements;
    std::vector<int64_t> dims = ReadShape(env, info[1], &elements);
    tensor_ = dtype == TF_STRING ? NewStringTensor(env, dims, elements, info[2])
                                 : NewNumericTensor(env, dtype, dims, elements, info[2]);
  }
  ++live_;
}

Tensor::~Tensor() { Release(); }

void Tensor::Release() {
  if (tensor_ == nullptr) return;
  TF_DeleteTensor(tensor_);
  tensor_ = nullptr;
  --live_;
}

void Tensor::Unpin() {
  if (--pins_ == 0 && disposed_) Release();
}

TF_Tensor* Tensor::Get(Napi::Env env) const {
  if (disposed_) ThrowCode(env, TF_FAILED_PRECONDITION, "Tensor is disposed");
  return tensor_;
}

Napi::Value Tensor::DType(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), TF_TensorType(Get(info.Env())));
}

Napi::Value Tensor::Shape(const Napi::CallbackInfo& info) {
  TF_Tensor* t = Get(info.Env());
  std::vector<int64_t> dims(TF_NumDims(t));
  for (size_t i = 0; i < dims.size(); ++i) dims[i] = TF_Dim(t, static_cast<int>(i));
  return DimsToArray(info.Env(), dims);
}

Napi::Value Tensor::ByteLength(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(TF_TensorByteSize(Get(info.Env()))));
}

Napi::Value Tensor::IsDisposed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), disposed_); }

// A copy of the contents: a TypedArray, or for strings an array of Buffers.
Napi::Value Tensor::Data(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TF_Tensor* t = Get(env);
  TF_DataType dtype = TF_TensorType(t);
  int64_t elements = TF_TensorElementCount(t);
  if (dtype == TF_STRING) {
    const auto* strings = static_cast<const TF_TString*>(TF_TensorData(t));
    Napi::Array out = Napi::Array::New(env, static_cast<size_t>(elements));
    for (int64_t i = 0; i < elements; ++i) {
      out.Set(static_cast<uint32_t>(i),
              Napi::Buffer<char>::Copy(env, TF_StringGetDataPointer(&strings[i]), TF_StringGetSize(&strings[i])));
    }
    return out;
  }
  HostLayout layout;
  if (!LayoutOf(dtype, &layout)) {
    ThrowCode(env, TF_INVALID_ARGUMENT, "tensors of dtype " + std::to_string(dtype) + " cannot be read on the host");
  }
  size_t bytes = TF_TensorByteSize(t);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
  if (bytes > 0) std::memcpy(buffer.Data(), TF_TensorData(t), bytes);
  size_t length = static_cast<size_t>(elements * layout.lanes);
  napi_value array;
  napi_status status = napi_create_typedarray(env, layout.array, length, buffer, 0, &array);
  NAPI_THROW_IF_FAILED(env, status, Napi::Value());
  return Napi::Value(env, array);
}

Napi::Value Tensor::Dispose(const Napi::CallbackInfo& info) {
  disposed_ = true;
  if (pins_ == 0) Release();
  return info.Env().Undefined();
}

}  // namespace tfnapi
