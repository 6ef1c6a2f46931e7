#include "eager.h"

#include "addon.h"
#include "convert.h"
#include "op_spec.h"
#include "shape_limits.h"
#include "signals_blocked.h"
#include "status.h"
#include "tensor.h"

#include <tensorflow/c/c_api_experimental.h>

#include <string>
#include <vector>

namespace tfnapi {

std::atomic<int64_t> TensorHandle::live_{0};

TFE_Context* EagerContext(Napi::Env env) {
  AddonData& data = Instance(env);
  if (data.eagerContext != nullptr) return data.eagerContext;
  TFE_ContextOptions* options = TFE_NewContextOptions();
  StatusPtr status = NewStatus();
  if (!data.eagerConfig.empty()) {
    TFE_ContextOptionsSetConfig(options, data.eagerConfig.data(), data.eagerConfig.size(), status.get());
  }
  if (TF_GetCode(status.get()) == TF_OK) {
    SignalsBlocked blocked;  // the context's threads inherit the mask
    data.eagerContext = TFE_NewContext(options, status.get());
  }
  TFE_DeleteContextOptions(options);
  ThrowIfNotOk(env, status.get());
  return data.eagerContext;
}

// eagerConfigure(configProto): only before the first eager op, as in Python's tf.config.
Napi::Value EagerConfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = Instance(env);
  if (!IsUint8Array(info[0])) {
    throw Napi::TypeError::New(env, "eagerConfigure takes a serialized ConfigProto (Uint8Array)");
  }
  if (data.eagerContext != nullptr) {
    ThrowCode(env, TF_FAILED_PRECONDITION, "The eager context is already initialized; configure it before running any op");
  }
  data.eagerConfig.assign(BytesOf(info[0].As<Napi::TypedArray>()));
  return env.Undefined();
}

namespace {

struct OpDeleter {
  void operator()(TFE_Op* op) const { TFE_DeleteOp(op); }
};

struct ShapeListDeleter {
  void operator()(TF_ShapeAndTypeList* list) const { TF_DeleteShapeAndTypeList(list); }
};
using ShapeListPtr = std::unique_ptr<TF_ShapeAndTypeList, ShapeListDeleter>;

// An input with no elements whose other dims multiply past 2^31: only such a tensor (it costs no
// memory) carries dims that two inputs' worth of an op's output shape can multiply past int64.
bool HasHugeEmptyInput(Napi::Env env, const std::vector<InputArg<TFE_TensorHandle*>>& inputs, TF_Status* status) {
  for (const InputArg<TFE_TensorHandle*>& input : inputs) {
    for (TFE_TensorHandle* h : input.values) {
      int64_t elements = TFE_TensorHandleNumElements(h, status);
      ThrowIfNotOk(env, status);
      if (elements != 0) continue;
      int rank = TFE_TensorHandleNumDims(h, status);
      ThrowIfNotOk(env, status);
      int64_t product = 1;
      for (int d = 0; d < rank; ++d) {
        int64_t dim = TFE_TensorHandleDim(h, d, status);
        ThrowIfNotOk(env, status);
        if (dim > 0 && product > (INT64_C(1) << 31) / dim) return true;
        if (dim > 0) product *= dim;
      }
    }
  }
  return false;
}

// Runs the op's shape function on its inputs' shapes (TFE_InferShapes), as graph mode does when it
// adds a node and eager mode never does: a shape function error is thrown, and an output shape that
// TF's TensorShape cannot hold is an InvalidArgumentError here rather than a CHECK abort in the kernel.
void InferShapes(Napi::Env env, TFE_Op* op, const std::string& type,
                 const std::vector<InputArg<TFE_TensorHandle*>>& inputs, TF_Status* status) {
  std::vector<TFE_TensorHandle*> flat;
  for (const InputArg<TFE_TensorHandle*>& input : inputs) flat.insert(flat.end(), input.values.begin(), input.values.end());
  ShapeListPtr inputShapes(TF_NewShapeAndTypeList(static_cast<int>(flat.size())));
  std::vector<int64_t> dims;
  for (size_t i = 0; i < flat.size(); ++i) {
    int rank = TFE_TensorHandleNumDims(flat[i], status);
    ThrowIfNotOk(env, status);
    dims.resize(rank);
    for (int d = 0; d < rank; ++d) dims[d] = TFE_TensorHandleDim(flat[i], d, status);
    ThrowIfNotOk(env, status);
    TF_ShapeAndTypeListSetShape(inputShapes.get(), static_cast<int>(i), dims.data(), rank);
  }
  TF_ShapeAndTypeList* outputs = nullptr;
  TFE_InferShapes(op, inputShapes.get(), nullptr, nullptr, nullptr, &outputs, nullptr, status);
  ShapeListPtr outputShapes(outputs);
  ThrowIfNotOk(env, status);
  for (int i = 0; outputs != nullptr && i < outputs->num_items; ++i) {
    const TF_ShapeAndType& shape = outputs->items[i];
    if (shape.num_dims < 0) continue;
    std::string problem = ShapeLimitProblem(shape.dims, static_cast<size_t>(shape.num_dims));
    if (problem.empty()) continue;
    ThrowCode(env, TF_INVALID_ARGUMENT,
              type + ": output " + std::to_string(i) + " would have shape " +
                  ShapeText(shape.dims, static_cast<size_t>(shape.num_dims)) + ", which " + problem);
  }
}

}  // namespace

// eagerExecute({type, inputs, attrs, outputs, device}) -> TensorHandle[][] (one array per output arg).
Napi::Value EagerExecute(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "eagerExecute takes an op spec object");
  Napi::Object object = info[0].As<Napi::Object>();
  OpSpec<TFE_TensorHandle*> spec = ReadOpSpec<TFE_TensorHandle*>(
      env, object, [&](const Napi::Value& v, const char* what) { return TensorHandle::FromValue(env, v, what)->Get(env); });
  if (!object.Get("outputs").IsArray()) throw Napi::TypeError::New(env, "outputs must be an array of output arg names");
  Napi::Array outputNames = object.Get("outputs").As<Napi::Array>();
  std::vector<std::string> outputs(outputNames.Length());
  for (uint32_t i = 0; i < outputNames.Length(); ++i) outputs[i] = outputNames.Get(i).ToString().Utf8Value();

  TFE_Context* context = EagerContext(env);
  StatusPtr status = NewStatus();
  std::unique_ptr<TFE_Op, OpDeleter> op(TFE_NewOp(context, spec.type.c_str(), status.get()));
  ThrowIfNotOk(env, status.get());
  if (!spec.device.empty()) {
    TFE_OpSetDevice(op.get(), spec.device.c_str(), status.get());
    ThrowIfNotOk(env, status.get());
  }
  // Attrs first: list inputs need their number/type attrs to be checked against.
  for (const Attr& attr : spec.attrs) {
    ApplyAttr(op.get(), attr, status.get());
    ThrowIfNotOk(env, status.get());
  }
  for (InputArg<TFE_TensorHandle*>& input : spec.inputs) {
    // An empty list adds no input, and TFE_OpAddInputList would read its first handle to infer the
    // list's attr (a segfault): the caller sets that attr itself, as Python's wrappers do.
    if (input.isList && input.values.empty()) continue;
    if (input.isList) {
      TFE_OpAddInputList(op.get(), input.values.data(), static_cast<int>(input.values.size()), status.get());
    } else {
      TFE_OpAddInput(op.get(), input.values[0], status.get());
    }
    ThrowIfNotOk(env, status.get());
  }
  // `inferShapes: true` asks for the op's shape function first. An op given a huge empty input always
  // runs it, so that an output shape past TF's limits is refused before the kernel CHECK-fails on it.
  // Not every op: shape functions trust what graph mode validated first, and some crash on inputs
  // of the wrong rank (BoostedTreesExampleDebugOutputs' reads a dim of a scalar).
  if (object.Get("inferShapes").ToBoolean().Value() || HasHugeEmptyInput(env, spec.inputs, status.get())) {
    InferShapes(env, op.get(), spec.type, spec.inputs, status.get());
  }
  std::vector<int> lengths(outputs.size());
  int total = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    lengths[i] = TFE_OpGetOutputLength(op.get(), outputs[i].c_str(), status.get());
    ThrowIfNotOk(env, status.get());
    total += lengths[i];
  }
  std::vector<TFE_TensorHandle*> results(total, nullptr);
  int count = total;
  {
    SignalsBlocked blocked;
    TFE_Execute(op.get(), results.data(), &count, status.get());
  }
  ThrowIfNotOk(env, status.get());
  Napi::Array grouped = Napi::Array::New(env, outputs.size());
  int next = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    Napi::Array group = Napi::Array::New(env, lengths[i]);
    for (int j = 0; j < lengths[i]; ++j) group.Set(j, TensorHandle::Wrap(env, results[next++]));
    grouped.Set(i, group);
  }
  return grouped;
}

Napi::Value EagerListDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StatusPtr status = NewStatus();
  TF_DeviceList* list = TFE_ContextListDevices(EagerContext(env), status.get());
  ThrowIfNotOk(env, status.get());
  return DeviceListToArray(env, list);
}

Napi::Value LiveHandleCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(TensorHandle::LiveCount()));
}

// ---- TensorHandle ----------------------------------------------------------------------------

Napi::Function TensorHandle::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "TensorHandle",
                                    {
                                        InstanceAccessor<&TensorHandle::DType>("dtype"),
                                        InstanceAccessor<&TensorHandle::Shape>("shape"),
                                        InstanceAccessor<&TensorHandle::Device>("device"),
                                        InstanceAccessor<&TensorHandle::IsDisposed>("disposed"),
                                        InstanceMethod<&TensorHandle::Resolve>("resolve"),
                                        InstanceMethod<&TensorHandle::Dispose>("dispose"),
                                    });
  return KeepConstructor(Instance(env).tensorHandleConstructor, ctor);
}

Napi::Object TensorHandle::Wrap(Napi::Env env, TFE_TensorHandle* handle) {
  return Instance(env).tensorHandleConstructor.New({Napi::External<TFE_TensorHandle>::New(env, handle)});
}

TensorHandle* TensorHandle::FromValue(Napi::Env env, const Napi::Value& value, const char* what) {
  if (TensorHandle* handle = UnwrapIf<TensorHandle>(value, Instance(env).tensorHandleConstructor)) return handle;
  throw Napi::TypeError::New(env, std::string(what) + " must be a native TensorHandle");
}

// new TensorHandle(tensor): shares the tensor's buffer; or the internal External form.
TensorHandle::TensorHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TensorHandle>(info) {
  Napi::Env env = info.Env();
  if (info.Length() == 1 && info[0].IsExternal()) {
    handle_ = info[0].As<Napi::External<TFE_TensorHandle>>().Data();
  } else {
    TF_Tensor* tensor = Tensor::FromValue(env, info[0], "TensorHandle source")->Get(env);
    StatusPtr status = NewStatus();
    handle_ = TFE_NewTensorHandle(tensor, status.get());
    ThrowIfNotOk(env, status.get());
  }
  ++live_;
}

TensorHandle::~TensorHandle() { Release(); }

void TensorHandle::Release() {
  if (handle_ == nullptr) return;
  TFE_DeleteTensorHandle(handle_);
  handle_ = nullptr;
  --live_;
}

TFE_TensorHandle* TensorHandle::Get(Napi::Env env) const {
  if (handle_ == nullptr) ThrowCode(env, TF_FAILED_PRECONDITION, "Tensor is disposed");
  return handle_;
}

Napi::Value TensorHandle::DType(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), TFE_TensorHandleDataType(Get(info.Env())));
}

Napi::Value TensorHandle::Shape(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TFE_TensorHandle* h = Get(env);
  StatusPtr status = NewStatus();
  int rank = TFE_TensorHandleNumDims(h, status.get());
  ThrowIfNotOk(env, status.get());
  std::vector<int64_t> dims(rank);
  for (int i = 0; i < rank; ++i) {
    dims[i] = TFE_TensorHandleDim(h, i, status.get());
    ThrowIfNotOk(env, status.get());
  }
  return DimsToArray(env, dims);
}

Napi::Value TensorHandle::Device(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StatusPtr status = NewStatus();
  const char* name = TFE_TensorHandleDeviceName(Get(env), status.get());
  ThrowIfNotOk(env, status.get());
  return Napi::String::New(env, name);
}

Napi::Value TensorHandle::IsDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), handle_ == nullptr);
}

// The value as a host Tensor (copied from an accelerator if needed; shared on the CPU).
Napi::Value TensorHandle::Resolve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StatusPtr status = NewStatus();
  TF_Tensor* tensor;
  {
    SignalsBlocked blocked;
    tensor = TFE_TensorHandleResolve(Get(env), status.get());
  }
  ThrowIfNotOk(env, status.get());
  return Tensor::Wrap(env, tensor);
}

Napi::Value TensorHandle::Dispose(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace tfnapi
