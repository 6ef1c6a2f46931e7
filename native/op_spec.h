// The op spec graph (TF_NewOperation) and eager (TFE_NewOp) ops share: {type, device, inputs, attrs}.
// Read and validated whole before the C op exists, since a started TF_OperationDescription cannot be abandoned.
#pragma once

#include "attrs.h"
#include "convert.h"

#include <string>
#include <vector>

namespace tfnapi {

// One input arg: a single value, or a list for a list arg (TF_AddInputList / TFE_OpAddInputList).
template <typename Input>
struct InputArg {
  std::vector<Input> values;
  bool isList;
};

template <typename Input>
struct OpSpec {
  std::string type;
  std::string device;  // "" for none
  std::vector<InputArg<Input>> inputs;
  std::vector<Attr> attrs;
};

// Reads `spec`; readInput(value, what) turns one JS input into the target's Input (TF_Output or
// TFE_TensorHandle*), throwing when it is not one.
template <typename Input, typename ReadInput>
OpSpec<Input> ReadOpSpec(Napi::Env env, const Napi::Object& spec, ReadInput readInput) {
  OpSpec<Input> op;
  op.type = ReadBytes(env, spec.Get("type"), "op type");
  Napi::Value device = spec.Get("device");
  if (!IsNullish(device)) op.device = ReadBytes(env, device, "device");
  Napi::Value inputs = spec.Get("inputs");
  if (!IsNullish(inputs)) {
    Napi::Array args = ReadArray(env, inputs, "inputs");
    for (uint32_t i = 0; i < args.Length(); ++i) {
      Napi::Value arg = args.Get(i);
      InputArg<Input> input{{}, arg.IsArray()};
      if (input.isList) {
        Napi::Array list = arg.As<Napi::Array>();
        for (uint32_t j = 0; j < list.Length(); ++j) input.values.push_back(readInput(list.Get(j), "list input"));
      } else {
        input.values.push_back(readInput(arg, "input"));
      }
      op.inputs.push_back(std::move(input));
    }
  }
  op.attrs = ReadAttrs(env, spec.Get("attrs"));
  CheckConstAttrs(env, op.type, op.attrs);
  return op;
}

}  // namespace tfnapi
