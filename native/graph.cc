#include "graph.h"

#include "addon.h"
#include "convert.h"
#include "op_spec.h"
#include "status.h"

#include <string>

namespace tfnapi {

namespace {

std::vector<TF_Operation*> ReadOperations(Napi::Env env, const Napi::Value& value, const char* what, TF_Graph* graph) {
  if (IsNullish(value)) return {};
  Napi::Array a = ReadArray(env, value, what);
  std::vector<TF_Operation*> ops(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) ops[i] = Operation::FromValue(env, a.Get(i), graph)->op();
  return ops;
}

// An OutOfRange error unless `op` has an output `index`.
void CheckOutputIndex(Napi::Env env, TF_Operation* op, int index, const std::string& prefix) {
  if (index < TF_OperationNumOutputs(op)) return;
  ThrowCode(env, TF_OUT_OF_RANGE, prefix + "operation '" + TF_OperationName(op) + "' has " +
                                      std::to_string(TF_OperationNumOutputs(op)) + " outputs, not an output " +
                                      std::to_string(index));
}

}  // namespace

// ---- Output helpers --------------------------------------------------------------------------

TF_Output ReadOutput(Napi::Env env, const Napi::Value& value, TF_Graph* graph, const char* what) {
  if (!value.IsObject()) throw Napi::TypeError::New(env, std::string(what) + " must be an {op, index} output");
  Napi::Object o = value.As<Napi::Object>();
  TF_Operation* op = Operation::FromValue(env, o.Get("op"), graph)->op();
  int index = static_cast<int>(ToInt64(env, o.Get("index"), "output index", 0, INT32_MAX));
  CheckOutputIndex(env, op, index, std::string(what) + ": ");
  return TF_Output{op, index};
}

std::vector<TF_Output> ReadOutputs(Napi::Env env, const Napi::Value& value, TF_Graph* graph, const char* what) {
  Napi::Array a = ReadArray(env, value, what);
  std::vector<TF_Output> outputs(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) outputs[i] = ReadOutput(env, a.Get(i), graph, what);
  return outputs;
}

Napi::Object MakeOutput(Napi::Env env, Napi::Object graph, TF_Output output) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("op", Operation::Wrap(env, graph, output.oper));
  o.Set("index", Napi::Number::New(env, output.index));
  return o;
}

// ---- Graph -----------------------------------------------------------------------------------

Napi::Function Graph::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "Graph",
                     {
                         InstanceMethod<&Graph::AddOperation>("addOperation"),
                         InstanceMethod<&Graph::OperationByName>("operation"),
                         InstanceMethod<&Graph::Operations>("operations"),
                         InstanceAccessor<&Graph::NumOperations>("numOperations"),
                         InstanceMethod<&Graph::ToGraphDef>("toGraphDef"),
                         InstanceMethod<&Graph::ImportGraphDef>("importGraphDef"),
                         InstanceMethod<&Graph::AddGradients>("addGradients"),
                     });
  return KeepConstructor(Instance(env).graphConstructor, ctor);
}

Graph* Graph::FromValue(Napi::Env env, const Napi::Value& value) {
  if (Graph* graph = UnwrapIf<Graph>(value, Instance(env).graphConstructor)) return graph;
  throw Napi::TypeError::New(env, "expected a native Graph");
}

Graph::Graph(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Graph>(info), graph_(TF_NewGraph()) {}

Graph::~Graph() { TF_DeleteGraph(graph_); }

// addOperation({type, name, inputs, controlInputs, device, colocateWith, attrs}) -> Operation.
Napi::Value Graph::AddOperation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "addOperation takes an operation spec object");
  Napi::Object object = info[0].As<Napi::Object>();
  OpSpec<TF_Output> spec = ReadOpSpec<TF_Output>(
      env, object, [&](const Napi::Value& v, const char* what) { return ReadOutput(env, v, graph_, what); });
  std::string name = ReadBytes(env, object.Get("name"), "operation name");
  std::vector<TF_Operation*> controls = ReadOperations(env, object.Get("controlInputs"), "controlInputs", graph_);
  std::vector<TF_Operation*> colocate = ReadOperations(env, object.Get("colocateWith"), "colocateWith", graph_);
  CheckFuncAttrs(env, graph_, spec.attrs);

  TF_OperationDescription* desc = TF_NewOperation(graph_, spec.type.c_str(), name.c_str());
  for (const InputArg<TF_Output>& input : spec.inputs) {
    if (input.isList) {
      TF_AddInputList(desc, input.values.data(), static_cast<int>(input.values.size()));
    } else {
      TF_AddInput(desc, input.values[0]);
    }
  }
  for (TF_Operation* c : controls) TF_AddControlInput(desc, c);
  for (TF_Operation* c : colocate) TF_ColocateWith(desc, c);
  if (!spec.device.empty()) TF_SetDevice(desc, spec.device.c_str());
  StatusPtr attrStatus = NewStatus();
  for (const Attr& attr : spec.attrs) {
    ApplyAttr(desc, attr, attrStatus.get());
    if (TF_GetCode(attrStatus.get()) != TF_OK) break;
  }
  StatusPtr status = NewStatus();
  TF_Operation* op = TF_FinishOperation(desc, status.get());  // frees desc whatever happens
  if (ThrowIfNotOk(env, attrStatus.get())) return env.Undefined();
  if (ThrowIfNotOk(env, status.get())) return env.Undefined();
  return Operation::Wrap(env, Value(), op);
}

Napi::Value Graph::OperationByName(const Napi::CallbackInfo& info) {
  std::string name = ReadBytes(info.Env(), info[0], "operation name");
  TF_Operation* op = TF_GraphOperationByName(graph_, name.c_str());
  if (op == nullptr) return info.Env().Null();
  return Operation::Wrap(info.Env(), Value(), op);
}

Napi::Value Graph::Operations(const Napi::CallbackInfo& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  size_t pos = 0;
  uint32_t i = 0;
  while (TF_Operation* op = TF_GraphNextOperation(graph_, &pos)) out.Set(i++, Operation::Wrap(info.Env(), Value(), op));
  return out;
}

// The count TF_GraphNextOperation walks, without wrapping each operation.
Napi::Value Graph::NumOperations(const Napi::CallbackInfo& info) {
  size_t pos = 0;
  uint32_t count = 0;
  while (TF_GraphNextOperation(graph_, &pos) != nullptr) ++count;
  return Napi::Number::New(info.Env(), count);
}

Napi::Value Graph::ToGraphDef(const Napi::CallbackInfo& info) {
  BufferPtr buffer(TF_NewBuffer());
  StatusPtr status = NewStatus();
  TF_GraphToGraphDef(graph_, buffer.get(), status.get());
  ThrowIfNotOk(info.Env(), status.get());
  return CopyToBuffer(info.Env(), buffer.get());
}

// importGraphDef(bytes, prefix?)
Napi::Value Graph::ImportGraphDef(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string bytes = ReadBytes(env, info[0], "GraphDef");
  std::string prefix = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  BufferPtr buffer(TF_NewBufferFromString(bytes.data(), bytes.size()));
  TF_ImportGraphDefOptions* options = TF_NewImportGraphDefOptions();
  if (!prefix.empty()) TF_ImportGraphDefOptionsSetPrefix(options, prefix.c_str());
  StatusPtr status = NewStatus();
  TF_GraphImportGraphDef(graph_, buffer.get(), options, status.get());
  TF_DeleteImportGraphDefOptions(options);
  ThrowIfNotOk(env, status.get());
  return env.Undefined();
}

// addGradients(ys, xs, dxs | null, prefix | null) -> (output | null)[] (null: x not connected to ys).
Napi::Value Graph::AddGradients(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<TF_Output> ys = ReadOutputs(env, info[0], graph_, "ys");
  std::vector<TF_Output> xs = ReadOutputs(env, info[1], graph_, "xs");
  std::vector<TF_Output> dxs;
  if (info.Length() > 2 && !IsNullish(info[2])) {
    dxs = ReadOutputs(env, info[2], graph_, "dxs");
    if (dxs.size() != ys.size()) throw Napi::RangeError::New(env, "dxs must have one entry per y");
  }
  std::string prefix = info.Length() > 3 && info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "";
  if (ys.empty()) throw Napi::RangeError::New(env, "addGradients needs at least one y");
  std::vector<TF_Output> dys(xs.size());
  StatusPtr status = NewStatus();
  TF_AddGradientsWithPrefix(graph_, prefix.empty() ? nullptr : prefix.c_str(), ys.data(), static_cast<int>(ys.size()),
                            xs.data(), static_cast<int>(xs.size()), dxs.empty() ? nullptr : dxs.data(), status.get(),
                            dys.data());
  ThrowIfNotOk(env, status.get());
  Napi::Array out = Napi::Array::New(env, dys.size());
  for (size_t i = 0; i < dys.size(); ++i) {
    out.Set(i, dys[i].oper == nullptr ? env.Null() : Napi::Value(MakeOutput(env, Value(), dys[i])));
  }
  return out;
}

// ---- Operation -------------------------------------------------------------------------------

Napi::Function Operation::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "Operation",
                                    {
                                        InstanceAccessor<&Operation::Name>("name"),
                                        InstanceAccessor<&Operation::Type>("type"),
                                        InstanceAccessor<&Operation::Device>("device"),
                                        InstanceAccessor<&Operation::NumInputs>("numInputs"),
                                        InstanceAccessor<&Operation::NumOutputs>("numOutputs"),
                                        InstanceAccessor<&Operation::GraphObject>("graph"),
                                        InstanceMethod<&Operation::OutputType>("outputType"),
                                        InstanceMethod<&Operation::OutputShape>("outputShape"),
                                        InstanceMethod<&Operation::Input>("input"),
                                        InstanceMethod<&Operation::ControlInputs>("controlInputs"),
                                        InstanceMethod<&Operation::OutputListLength>("outputListLength"),
                                        InstanceMethod<&Operation::InputListLength>("inputListLength"),
                                        InstanceMethod<&Operation::AttrProto>("attrProto"),
                                    });
  return KeepConstructor(Instance(env).operationConstructor, ctor);
}

Napi::Object Operation::Wrap(Napi::Env env, Napi::Object graph, TF_Operation* op) {
  return Instance(env).operationConstructor.New({Napi::External<TF_Operation>::New(env, op), graph});
}

Operation* Operation::FromValue(Napi::Env env, const Napi::Value& value, TF_Graph* graph) {
  Operation* op = UnwrapIf<Operation>(value, Instance(env).operationConstructor);
  if (op == nullptr) throw Napi::TypeError::New(env, "expected a native Operation");
  if (graph != nullptr && op->graph_ != graph) {
    ThrowCode(env, TF_INVALID_ARGUMENT, std::string("operation '") + TF_OperationName(op->op_) +
                                            "' belongs to a different graph");
  }
  return op;
}

Operation::Operation(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Operation>(info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(env, "Operations are made by Graph.addOperation, not constructed");
  }
  op_ = info[0].As<Napi::External<TF_Operation>>().Data();
  graph_ = Graph::FromValue(env, info[1])->graph();
  graphRef_ = Napi::Persistent(info[1].As<Napi::Object>());
}

Napi::Value Operation::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), TF_OperationName(op_)); }
Napi::Value Operation::Type(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), TF_OperationOpType(op_)); }
Napi::Value Operation::Device(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), TF_OperationDevice(op_)); }
Napi::Value Operation::NumInputs(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), TF_OperationNumInputs(op_)); }
Napi::Value Operation::NumOutputs(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), TF_OperationNumOutputs(op_)); }
Napi::Value Operation::GraphObject(const Napi::CallbackInfo&) { return graphRef_.Value(); }

int Operation::OutputIndex(const Napi::CallbackInfo& info) {
  int index = static_cast<int>(ToInt64(info.Env(), info[0], "output index", 0, INT32_MAX));
  CheckOutputIndex(info.Env(), op_, index, "");
  return index;
}

Napi::Value Operation::OutputType(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), TF_OperationOutputType(TF_Output{op_, OutputIndex(info)}));
}

// The static shape TF infers: array of dims (-1 unknown), or null when the rank is unknown.
Napi::Value Operation::OutputShape(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  TF_Output output{op_, OutputIndex(info)};
  StatusPtr status = NewStatus();
  int rank = TF_GraphGetTensorNumDims(graph_, output, status.get());
  ThrowIfNotOk(env, status.get());
  if (rank < 0) return env.Null();
  std::vector<int64_t> dims(rank);
  TF_GraphGetTensorShape(graph_, output, dims.data(), rank, status.get());
  ThrowIfNotOk(env, status.get());
  return DimsToArray(env, dims);
}

Napi::Value Operation::Input(const Napi::CallbackInfo& info) {
  int index = static_cast<int>(ToInt64(info.Env(), info[0], "input index", 0, INT32_MAX));
  if (index >= TF_OperationNumInputs(op_)) {
    ThrowCode(info.Env(), TF_OUT_OF_RANGE, std::string("operation '") + TF_OperationName(op_) + "' has " +
                                               std::to_string(TF_OperationNumInputs(op_)) + " inputs");
  }
  return MakeOutput(info.Env(), graphRef_.Value(), TF_OperationInput(TF_Input{op_, index}));
}

Napi::Value Operation::ControlInputs(const Napi::CallbackInfo& info) {
  int n = TF_OperationNumControlInputs(op_);
  std::vector<TF_Operation*> ops(n);
  TF_OperationGetControlInputs(op_, ops.data(), n);
  Napi::Array out = Napi::Array::New(info.Env(), n);
  for (int i = 0; i < n; ++i) out.Set(i, Wrap(info.Env(), graphRef_.Value(), ops[i]));
  return out;
}

Napi::Value Operation::OutputListLength(const Napi::CallbackInfo& info) {
  std::string arg = ReadBytes(info.Env(), info[0], "argument name");
  StatusPtr status = NewStatus();
  int n = TF_OperationOutputListLength(op_, arg.c_str(), status.get());
  ThrowIfNotOk(info.Env(), status.get());
  return Napi::Number::New(info.Env(), n);
}

Napi::Value Operation::InputListLength(const Napi::CallbackInfo& info) {
  std::string arg = ReadBytes(info.Env(), info[0], "argument name");
  StatusPtr status = NewStatus();
  int n = TF_OperationInputListLength(op_, arg.c_str(), status.get());
  ThrowIfNotOk(info.Env(), status.get());
  return Napi::Number::New(info.Env(), n);
}

// The serialized AttrValue proto of one attribute.
Napi::Value Operation::AttrProto(const Napi::CallbackInfo& info) {
  std::string name = ReadBytes(info.Env(), info[0], "attribute name");
  BufferPtr buffer(TF_NewBuffer());
  StatusPtr status = NewStatus();
  TF_OperationGetAttrValueProto(op_, name.c_str(), buffer.get(), status.get());
  ThrowIfNotOk(info.Env(), status.get());
  return CopyToBuffer(info.Env(), buffer.get());
}

}  // namespace tfnapi
