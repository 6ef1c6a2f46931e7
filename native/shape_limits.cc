#include "shape_limits.h"

namespace tfnapi {

std::string ShapeLimitProblem(const int64_t* dims, size_t rank) {
  if (rank > kMaxRank) {
    return "has " + std::to_string(rank) + " dims; TensorFlow allows at most " + std::to_string(kMaxRank);
  }
  // The product of the known dims so far; unknown dims (-1) are skipped, so a partial shape is held
  // to the same limit its known dims would be (slightly stricter than TF, which stops counting there).
  int64_t product = 1;
  for (size_t i = 0; i < rank; ++i) {
    int64_t d = dims[i];
    if (d < 0) continue;
    if (product == 0 || d == 0) {
      product = 0;
    } else if (product > INT64_MAX / d) {
      return "has too many elements: its dims multiply past the largest element count TensorFlow allows (2^63 - 1)";
    } else {
      product *= d;
    }
  }
  return "";
}

std::string ShapeText(const int64_t* dims, size_t rank) {
  constexpr size_t kShown = 8;
  std::string text = "[";
  for (size_t i = 0; i < rank && i < kShown; ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(dims[i]);
  }
  if (rank > kShown) text += ", ... (" + std::to_string(rank) + " dims)";
  return text + "]";
}

void CheckShapeLimits(Napi::Env env, const std::vector<int64_t>& dims, const std::string& what) {
  std::string problem = ShapeLimitProblem(dims.data(), dims.size());
  if (problem.empty()) return;
  throw Napi::RangeError::New(env, what + " " + ShapeText(dims.data(), dims.size()) + " " + problem);
}

}  // namespace tfnapi
