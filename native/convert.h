// JS values read into C data (integers, bytes, arrays), and C data (buffers, dims, devices) made into JS values.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tfnapi {

// Optional arguments and spec fields may be given as undefined or null alike.
inline bool IsNullish(const Napi::Value& value) { return value.IsUndefined() || value.IsNull(); }

// Reads an integer argument that must be a whole number within [lo, hi].
int64_t ToInt64(Napi::Env env, const Napi::Value& value, const char* what, int64_t lo, int64_t hi);

// `value` as an array, or a TypeError "<what> must be an array".
Napi::Array ReadArray(Napi::Env env, const Napi::Value& value, const std::string& what);

// Byte data crosses as a Uint8Array (a Buffer is one); other views are not taken for bytes.
bool IsUint8Array(const Napi::Value& value);

// The bytes a TypedArray views, its offset applied; valid while the array is alive.
std::string_view BytesOf(const Napi::TypedArray& array);

// A string (as UTF-8) or a Uint8Array's bytes into `out`; false, leaving `out` alone, for anything else.
bool TryReadBytes(const Napi::Value& value, std::string* out);

// TryReadBytes, or a TypeError "<what> must be a string or Uint8Array".
std::string ReadBytes(Napi::Env env, const Napi::Value& value, const std::string& what);

struct BufferDeleter {
  void operator()(TF_Buffer* b) const { TF_DeleteBuffer(b); }
};
using BufferPtr = std::unique_ptr<TF_Buffer, BufferDeleter>;

Napi::Buffer<uint8_t> CopyToBuffer(Napi::Env env, const TF_Buffer* buffer);

// A shape as a JS array of numbers.
Napi::Array DimsToArray(Napi::Env env, const std::vector<int64_t>& dims);

// [{name, type, memoryBytes}] for a device list; takes ownership of (and deletes) `list`.
Napi::Array DeviceListToArray(Napi::Env env, TF_DeviceList* list);

}  // namespace tfnapi
