// Narrows the listening socket TF's gRPC server opens. TF binds "0.0.0.0:<port>" (grpc_server_lib.cc:
// a dual-stack wildcard) whatever host the cluster spec names; while a narrowing is armed, a wildcard
// bind() of that port from libtensorflow is redirected to the given address instead.
#pragma once

#include <string>

namespace tfnapi {

// Arms the redirect for `port` to `address` (an IPv4 or IPv6 literal) until the returned guard ends.
// Throws std::runtime_error when the address is not a literal or libtensorflow's bind() cannot be hooked.
class ListenAddressGuard {
 public:
  ListenAddressGuard(const std::string& address, int port);
  ~ListenAddressGuard();
  ListenAddressGuard(const ListenAddressGuard&) = delete;
  ListenAddressGuard& operator=(const ListenAddressGuard&) = delete;
  // How many wildcard binds were redirected while armed.
  int redirected() const;
};

}  // namespace tfnapi
