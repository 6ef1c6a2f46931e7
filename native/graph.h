// Graph (owns a TF_Graph) and Operation (a TF_Operation that keeps its graph alive).
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <vector>

namespace tfnapi {

class Graph : public Napi::ObjectWrap<Graph> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Graph* FromValue(Napi::Env env, const Napi::Value& value);
  explicit Graph(const Napi::CallbackInfo& info);
  ~Graph() override;
  TF_Graph* graph() const { return graph_; }

 private:
  Napi::Value AddOperation(const Napi::CallbackInfo& info);
  Napi::Value OperationByName(const Napi::CallbackInfo& info);
  Napi::Value Operations(const Napi::CallbackInfo& info);
  Napi::Value NumOperations(const Napi::CallbackInfo& info);
  Napi::Value ToGraphDef(const Napi::CallbackInfo& info);
  Napi::Value ImportGraphDef(const Napi::CallbackInfo& info);
  Napi::Value AddGradients(const Napi::CallbackInfo& info);

  TF_Graph* graph_;
};

class Operation : public Napi::ObjectWrap<Operation> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env, Napi::Object graph, TF_Operation* op);
  static Operation* FromValue(Napi::Env env, const Napi::Value& value, TF_Graph* graph);
  explicit Operation(const Napi::CallbackInfo& info);
  TF_Operation* op() const { return op_; }

 private:
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Type(const Napi::CallbackInfo& info);
  Napi::Value Device(const Napi::CallbackInfo& info);
  Napi::Value NumInputs(const Napi::CallbackInfo& info);
  Napi::Value NumOutputs(const Napi::CallbackInfo& info);
  Napi::Value GraphObject(const Napi::CallbackInfo& info);
  Napi::Value OutputType(const Napi::CallbackInfo& info);
  Napi::Value OutputShape(const Napi::CallbackInfo& info);
  Napi::Value Input(const Napi::CallbackInfo& info);
  Napi::Value ControlInputs(const Napi::CallbackInfo& info);
  Napi::Value OutputListLength(const Napi::CallbackInfo& info);
  Napi::Value InputListLength(const Napi::CallbackInfo& info);
  Napi::Value AttrProto(const Napi::CallbackInfo& info);
  int OutputIndex(const Napi::CallbackInfo& info);

  TF_Operation* op_ = nullptr;
  TF_Graph* graph_ = nullptr;
  Napi::ObjectReference graphRef_;
};

// Reads a JS {op, index} into a TF_Output of `graph`.
TF_Output ReadOutput(Napi::Env env, const Napi::Value& value, TF_Graph* graph, const char* what);
std::vector<TF_Output> ReadOutputs(Napi::Env env, const Napi::Value& value, TF_Graph* graph, const char* what);
Napi::Object MakeOutput(Napi::Env env, Napi::Object graph, TF_Output output);

}  // namespace tfnapi
