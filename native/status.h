// TF_Status ownership, and a failed status (or any TF error code) as a typed JS error.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <memory>
#include <string>

namespace tfnapi {

struct StatusDeleter {
  void operator()(TF_Status* s) const { TF_DeleteStatus(s); }
};
using StatusPtr = std::unique_ptr<TF_Status, StatusDeleter>;
inline StatusPtr NewStatus() { return StatusPtr(TF_NewStatus()); }

// The error lib/errors.ts's factory makes for `code` (a plain Error with .code before it is set).
Napi::Value MakeError(Napi::Env env, int code, const std::string& message);

[[noreturn]] void ThrowCode(Napi::Env env, int code, const std::string& message);

// Throws a JS exception built by the error factory when status is not OK; false otherwise.
bool ThrowIfNotOk(Napi::Env env, TF_Status* status);

}  // namespace tfnapi
