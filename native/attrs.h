// Operation attributes read from JS ([name, kind, value] triples), applied to graph or eager ops.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>
#include <tensorflow/c/eager/c_api.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tfnapi {

struct Attr {
  enum class Kind { kInt, kFloat, kBool, kType, kShape, kString, kFunc, kTensor, kProto,
                    kIntList, kFloatList, kBoolList, kTypeList, kShapeList, kStringList, kTensorList };
  std::string name;
  Kind kind;
  std::vector<int64_t> ints;              // int, type, and their lists
  std::vector<float> floats;
  std::vector<unsigned char> bools;
  std::vector<std::vector<int64_t>> shapes;
  std::vector<int> ranks;                 // per shape; -1 unknown rank
  std::vector<std::string> strings;       // string, func, proto bytes, string list
  std::vector<TF_Tensor*> tensors;        // borrowed from live JS tensors for the call
};

// Validates one [name, kind, value] triple; throws a JS TypeError/RangeError when malformed.
Attr ReadAttr(Napi::Env env, const Napi::Value& entry);
std::vector<Attr> ReadAttrs(Napi::Env env, const Napi::Value& value);

// A Const whose dtype attr disagrees with its value would make TF abort later, in shape inference.
void CheckConstAttrs(Napi::Env env, const std::string& opType, const std::vector<Attr>& attrs);

// A func attr naming a function the graph lacks would be accepted here, then fail every later
// session run (the session extends its graph with the bad node each time): reject it now.
void CheckFuncAttrs(Napi::Env env, TF_Graph* graph, const std::vector<Attr>& attrs);

// Sets `attr` with the target's C API setter (TF_SetAttr* or TFE_OpSetAttr*); failures go to `status`.
// Eager ops take no list of tensors; that kind reports InvalidArgument.
void ApplyAttr(TF_OperationDescription* desc, const Attr& attr, TF_Status* status);
void ApplyAttr(TFE_Op* op, const Attr& attr, TF_Status* status);

}  // namespace tfnapi
