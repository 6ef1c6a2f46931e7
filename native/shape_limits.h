// TensorFlow's limits on a shape, in the one place they are defined: TF's TensorShape constructor
// CHECK-fails (aborts the process) on a shape beyond them, so no shape reaches TF unchecked.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tfnapi {

// TensorShapeRep::MaxDimensions(): a rank fits in a byte, with 255 meaning "unknown".
constexpr size_t kMaxRank = 254;

// Why TF's TensorShape / PartialTensorShape cannot hold `dims` (-1 an unknown dim), or "" when it
// can: at most kMaxRank dims, and the known dims, multiplied left to right as TensorShape::InitDims
// does (MultiplyWithoutOverflow; a 0 dim makes the rest 0), never overflow int64.
std::string ShapeLimitProblem(const int64_t* dims, size_t rank);

// "[2, 3]"; a long shape is shortened to its first dims and its rank.
std::string ShapeText(const int64_t* dims, size_t rank);

// A RangeError "<what> [dims] <problem>" when ShapeLimitProblem finds one.
void CheckShapeLimits(Napi::Env env, const std::vector<int64_t>& dims, const std::string& what);

}  // namespace tfnapi
