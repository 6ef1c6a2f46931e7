#include "attrs.h"

#include "convert.h"
#include "shape_limits.h"
#include "status.h"
#include "tensor.h"

#include <tensorflow/c/eager/c_api_experimental.h>

namespace tfnapi {

namespace {

double ReadFloat(Napi::Env env, const Napi::Value& value, const std::string& what) {
  if (!value.IsNumber()) throw Napi::TypeError::New(env, what + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

unsigned char ReadBool(Napi::Env env, const Napi::Value& value, const std::string& what) {
  if (!value.IsBoolean()) throw Napi::TypeError::New(env, what + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

// A shape is an array of dims (-1 unknown) or null for unknown rank.
void ReadShape(Napi::Env env, const Napi::Value& value, const std::string& what, Attr* attr) {
  if (value.IsNull()) {
    attr->shapes.emplace_back();
    attr->ranks.push_back(-1);
    return;
  }
  if (!value.IsArray()) throw Napi::TypeError::New(env, what + " must be a shape (array of dims, or null)");
  Napi::Array a = value.As<Napi::Array>();
  std::vector<int64_t> dims(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) dims[i] = ToInt64(env, a.Get(i), "shape dimension", -1, INT64_MAX);
  CheckShapeLimits(env, dims, what);
  attr->ranks.push_back(static_cast<int>(dims.size()));
  attr->shapes.push_back(std::move(dims));
}

// Reads one scalar of the attribute's element kind into `attr`.
void ReadItem(Napi::Env env, const std::string& item, const Napi::Value& v, const std::string& what, Attr* attr) {
  if (item == "int") {
    attr->ints.push_back(ToInt64(env, v, what.c_str(), INT64_MIN, INT64_MAX));
  } else if (item == "type") {
    attr->ints.push_back(ToInt64(env, v, what.c_str(), 1, 1000));
  } else if (item == "float") {
    attr->floats.push_back(static_cast<float>(ReadFloat(env, v, what)));
  } else if (item == "bool") {
    attr->bools.push_back(ReadBool(env, v, what));
  } else if (item == "shape") {
    ReadShape(env, v, what, attr);
  } else if (item == "string" || item == "func" || item == "proto") {
    attr->strings.push_back(ReadBytes(env, v, what));
  } else if (item == "tensor") {
    attr->tensors.push_back(Tensor::FromValue(env, v, what.c_str())->Get(env));
  }
}

struct KindInfo {
  const char* name;
  Attr::Kind kind;
  const char* item;
  bool list;
};

const KindInfo kKinds[] = {
    {"int", Attr::Kind::kInt, "int", false},
    {"float", Attr::Kind::kFloat, "float", false},
    {"bool", Attr::Kind::kBool, "bool", false},
    {"type", Attr::Kind::kType, "type", false},
    {"shape", Attr::Kind::kShape, "shape", false},
    {"string", Attr::Kind::kString, "string", false},
    {"func", Attr::Kind::kFunc, "func", false},
    {"tensor", Attr::Kind::kTensor, "tensor", false},
    {"proto", Attr::Kind::kProto, "proto", false},
    {"list(int)", Attr::Kind::kIntList, "int", true},
    {"list(float)", Attr::Kind::kFloatList, "float", true},
    {"list(bool)", Attr::Kind::kBoolList, "bool", true},
    {"list(type)", Attr::Kind::kTypeList, "type", true},
    {"list(shape)", Attr::Kind::kShapeList, "shape", true},
    {"list(string)", Attr::Kind::kStringList, "string", true},
    {"list(tensor)", Attr::Kind::kTensorList, "tensor", true},
};

}  // namespace

Attr ReadAttr(Napi::Env env, const Napi::Value& entry) {
  if (!entry.IsArray() || entry.As<Napi::Array>().Length() != 3) {
    throw Napi::TypeError::New(env, "attribute entry must be [name, kind, value]");
  }
  Napi::Array triple = entry.As<Napi::Array>();
  Attr attr;
  attr.name = ReadBytes(env, triple.Get(0u), "attribute name");
  std::string kind = ReadBytes(env, triple.Get(1u), "attribute kind");
  std::string what = "attribute '" + attr.name + "'";
  for (const KindInfo& info : kKinds) {
    if (kind != info.name) continue;
    attr.kind = info.kind;
    Napi::Value value = triple.Get(2u);
    if (!info.list) {
      ReadItem(env, info.item, value, what, &attr);
      return attr;
    }
    Napi::Array items = ReadArray(env, value, what);
    for (uint32_t i = 0; i < items.Length(); ++i) ReadItem(env, info.item, items.Get(i), what + " item", &attr);
    return attr;
  }
  throw Napi::TypeError::New(env, "unknown attribute kind '" + kind + "' for " + what +
                                      " (use int, float, bool, type, shape, string, func, tensor, proto or list(...))");
}

std::vector<Attr> ReadAttrs(Napi::Env env, const Napi::Value& value) {
  if (IsNullish(value)) return {};
  Napi::Array a = ReadArray(env, value, "attrs");
  std::vector<Attr> attrs;
  attrs.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) attrs.push_back(ReadAttr(env, a.Get(i)));
  return attrs;
}

void CheckConstAttrs(Napi::Env env, const std::string& opType, const std::vector<Attr>& attrs) {
  if (opType != "Const") return;
  const Attr* value = nullptr;
  const Attr* dtype = nullptr;
  for (const Attr& a : attrs) {
    if (a.name == "value" && a.kind == Attr::Kind::kTensor) value = &a;
    if (a.name == "dtype" && a.kind == Attr::Kind::kType) dtype = &a;
  }
  if (value == nullptr || dtype == nullptr) return;
  int64_t actual = TF_TensorType(value->tensors[0]);
  if (actual != dtype->ints[0]) {
    ThrowCode(env, TF_INVALID_ARGUMENT, "Const: attr 'dtype' (" + std::to_string(dtype->ints[0]) +
                                            ") does not match the dtype of attr 'value' (" + std::to_string(actual) + ")");
  }
}

namespace {

bool GraphHasFunction(TF_Graph* graph, const std::string& name) {
  int count = TF_GraphNumFunctions(graph);
  if (count == 0) return false;
  std::vector<TF_Function*> functions(count);
  StatusPtr status = NewStatus();
  int got = TF_GraphGetFunctions(graph, functions.data(), count, status.get());
  bool found = false;
  for (int i = 0; i < got; ++i) {
    if (name == TF_FunctionName(functions[i])) found = true;
    TF_DeleteFunction(functions[i]);
  }
  return found;
}

}  // namespace

void CheckFuncAttrs(Napi::Env env, TF_Graph* graph, const std::vector<Attr>& attrs) {
  for (const Attr& a : attrs) {
    if (a.kind != Attr::Kind::kFunc || GraphHasFunction(graph, a.strings[0])) continue;
    ThrowCode(env, TF_INVALID_ARGUMENT,
              "attr '" + a.name + "' names function '" + a.strings[0] + "', which is not in the graph's function library");
  }
}

namespace {

std::vector<const int64_t*> ShapePointers(const Attr& attr) {
  std::vector<const int64_t*> pointers(attr.shapes.size());
  for (size_t i = 0; i < attr.shapes.size(); ++i) pointers[i] = attr.shapes[i].data();
  return pointers;
}

std::vector<const void*> StringPointers(const Attr& attr, std::vector<size_t>* lengths) {
  std::vector<const void*> pointers(attr.strings.size());
  lengths->resize(attr.strings.size());
  for (size_t i = 0; i < attr.strings.size(); ++i) {
    pointers[i] = attr.strings[i].data();
    (*lengths)[i] = attr.strings[i].size();
  }
  return pointers;
}

std::vector<TF_DataType> Types(const Attr& attr) {
  std::vector<TF_DataType> types(attr.ints.size());
  for (size_t i = 0; i < types.size(); ++i) types[i] = static_cast<TF_DataType>(attr.ints[i]);
  return types;
}

// One target's C API setter for each attr kind, so a single switch serves graph and eager ops.
// A lambda stands in where the two spellings differ by a status argument or a const.
template <typename Op>
struct Setters {
  void (*intValue)(Op*, const char*, int64_t);
  void (*floatValue)(Op*, const char*, float);
  void (*boolValue)(Op*, const char*, unsigned char);
  void (*type)(Op*, const char*, TF_DataType);
  void (*shape)(Op*, const char*, const int64_t*, int, TF_Status*);
  void (*string)(Op*, const char*, const void*, size_t);
  void (*func)(Op*, const char*, const char*, size_t);
  void (*tensor)(Op*, const char*, TF_Tensor*, TF_Status*);
  void (*proto)(Op*, const char*, const void*, size_t, TF_Status*);
  void (*intList)(Op*, const char*, const int64_t*, int);
  void (*floatList)(Op*, const char*, const float*, int);
  void (*boolList)(Op*, const char*, const unsigned char*, int);
  void (*typeList)(Op*, const char*, const TF_DataType*, int);
  void (*shapeList)(Op*, const char*, const int64_t**, const int*, int, TF_Status*);
  void (*stringList)(Op*, const char*, const void* const*, const size_t*, int);
  void (*tensorList)(Op*, const char*, TF_Tensor* const*, int, TF_Status*);
};

using Desc = TF_OperationDescription;

const Setters<Desc> kGraphSetters = {
    TF_SetAttrInt, TF_SetAttrFloat, TF_SetAttrBool, TF_SetAttrType,
    [](Desc* d, const char* n, const int64_t* dims, int rank, TF_Status*) { TF_SetAttrShape(d, n, dims, rank); },
    TF_SetAttrString, TF_SetAttrFuncName, TF_SetAttrTensor, TF_SetAttrValueProto,
    TF_SetAttrIntList, TF_SetAttrFloatList, TF_SetAttrBoolList, TF_SetAttrTypeList,
    [](Desc* d, const char* n, const int64_t** dims, const int* ranks, int count, TF_Status*) {
      TF_SetAttrShapeList(d, n, dims, ranks, count);
    },
    TF_SetAttrStringList, TF_SetAttrTensorList,
};

const Setters<TFE_Op> kEagerSetters = {
    TFE_OpSetAttrInt, TFE_OpSetAttrFloat, TFE_OpSetAttrBool, TFE_OpSetAttrType, TFE_OpSetAttrShape,
    TFE_OpSetAttrString, TFE_OpSetAttrFunctionName, TFE_OpSetAttrTensor,
    [](TFE_Op* op, const char* n, const void* proto, size_t length, TF_Status* s) {
      TFE_OpSetAttrValueProto(op, n, proto, length, s);
    },
    TFE_OpSetAttrIntList, TFE_OpSetAttrFloatList, TFE_OpSetAttrBoolList, TFE_OpSetAttrTypeList,
    TFE_OpSetAttrShapeList, TFE_OpSetAttrStringList,
    [](TFE_Op*, const char* n, TF_Tensor* const*, int, TF_Status* s) {
      TF_SetStatus(s, TF_INVALID_ARGUMENT, ("attribute '" + std::string(n) + "': eager ops take no list(tensor)").c_str());
    },
};

template <typename Op>
void Apply(const Setters<Op>& set, Op* op, const Attr& a, TF_Status* s) {
  const char* n = a.name.c_str();
  switch (a.kind) {
    case Attr::Kind::kInt: set.intValue(op, n, a.ints[0]); break;
    case Attr::Kind::kFloat: set.floatValue(op, n, a.floats[0]); break;
    case Attr::Kind::kBool: set.boolValue(op, n, a.bools[0]); break;
    case Attr::Kind::kType: set.type(op, n, static_cast<TF_DataType>(a.ints[0])); break;
    case Attr::Kind::kShape: set.shape(op, n, a.shapes[0].data(), a.ranks[0], s); break;
    case Attr::Kind::kString: set.string(op, n, a.strings[0].data(), a.strings[0].size()); break;
    case Attr::Kind::kFunc: set.func(op, n, a.strings[0].data(), a.strings[0].size()); break;
    case Attr::Kind::kTensor: set.tensor(op, n, a.tensors[0], s); break;
    case Attr::Kind::kProto: set.proto(op, n, a.strings[0].data(), a.strings[0].size(), s); break;
    case Attr::Kind::kIntList: set.intList(op, n, a.ints.data(), static_cast<int>(a.ints.size())); break;
    case Attr::Kind::kFloatList: set.floatList(op, n, a.floats.data(), static_cast<int>(a.floats.size())); break;
    case Attr::Kind::kBoolList: set.boolList(op, n, a.bools.data(), static_cast<int>(a.bools.size())); break;
    case Attr::Kind::kTypeList: {
      std::vector<TF_DataType> types = Types(a);
      set.typeList(op, n, types.data(), static_cast<int>(types.size()));
      break;
    }
    case Attr::Kind::kShapeList: {
      std::vector<const int64_t*> dims = ShapePointers(a);
      set.shapeList(op, n, dims.data(), a.ranks.data(), static_cast<int>(dims.size()), s);
      break;
    }
    case Attr::Kind::kStringList: {
      std::vector<size_t> lengths;
      std::vector<const void*> values = StringPointers(a, &lengths);
      set.stringList(op, n, values.data(), lengths.data(), static_cast<int>(values.size()));
      break;
    }
    case Attr::Kind::kTensorList:
      set.tensorList(op, n, a.tensors.data(), static_cast<int>(a.tensors.size()), s);
      break;
  }
}

}  // namespace

void ApplyAttr(TF_OperationDescription* desc, const Attr& attr, TF_Status* status) {
  Apply(kGraphSetters, desc, attr, status);
}

void ApplyAttr(TFE_Op* op, const Attr& attr, TF_Status* status) { Apply(kEagerSetters, op, attr, status); }

}  // namespace tfnapi
