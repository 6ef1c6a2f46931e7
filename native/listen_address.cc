#include "listen_address.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <stdexcept>

namespace tfnapi {

namespace {

using BindFn = int (*)(int, const sockaddr*, socklen_t);

std::mutex armMutex;  // one server is made at a time
// Read by the hook on whatever thread gRPC binds from (TF_NewServer's own, in practice).
std::mutex stateMutex;
bool armed = false;
int armedPort = 0;
sockaddr_storage armedAddress{};
int redirectCount = 0;
BindFn realBind = nullptr;
bool hooked = false;

bool IsWildcard(const sockaddr* addr, int* port) {
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    *port = ntohs(in->sin_port);
    return in->sin_addr.s_addr == htonl(INADDR_ANY);
  }
  if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    *port = ntohs(in6->sin6_port);
    return IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
  }
  return false;
}

int BindHook(int fd, const sockaddr* addr, socklen_t len) {
  int port = 0;
  if (addr != nullptr && IsWildcard(addr, &port)) {
    std::lock_guard<std::mutex> lock(stateMutex);
    if (armed && port == armedPort) {
      sockaddr_storage target = armedAddress;
      socklen_t targetLen = 0;
      if (addr->sa_family == AF_INET && target.ss_family == AF_INET) {
        reinterpret_cast<sockaddr_in*>(&target)->sin_port = htons(port);
        targetLen = sizeof(sockaddr_in);
      } else if (addr->sa_family == AF_INET6 && target.ss_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6*>(&target)->sin6_port = htons(port);
        targetLen = sizeof(sockaddr_in6);
      } else if (addr->sa_family == AF_INET6 && target.ss_family == AF_INET) {
        // gRPC's dual-stack socket: the IPv4 address, mapped (::ffff:a.b.c.d).
        sockaddr_in6 mapped{};
        mapped.sin6_family = AF_INET6;
        mapped.sin6_port = htons(port);
        mapped.sin6_addr.s6_addr[10] = 0xff;
        mapped.sin6_addr.s6_addr[11] = 0xff;
        std::memcpy(&mapped.sin6_addr.s6_addr[12], &reinterpret_cast<sockaddr_in*>(&target)->sin_addr, 4);
        std::memcpy(&target, &mapped, sizeof mapped);
        targetLen = sizeof(sockaddr_in6);
      } else {
        // An IPv4 socket cannot take an IPv6 address: refuse rather than listen on every interface.
        errno = EAFNOSUPPORT;
        return -1;
      }
      ++redirectCount;
      return realBind(fd, reinterpret_cast<const sockaddr*>(&target), targetLen);
    }
  }
  return realBind(fd, addr, len);
}

// Points the bind() slots of libtensorflow's global offset tables at BindHook (once per process).
int PatchObject(dl_phdr_info* info, size_t, void* data) {
  int* patched = static_cast<int*>(data);
  if (info->dlpi_name == nullptr || std::strstr(info->dlpi_name, "libtensorflow") == nullptr) return 0;
  const ElfW(Dyn)* dynamic = nullptr;
  uintptr_t relroStart = 0, relroEnd = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_DYNAMIC) dynamic = reinterpret_cast<const ElfW(Dyn)*>(info->dlpi_addr + ph.p_vaddr);
    if (ph.p_type == PT_GNU_RELRO) {
      relroStart = info->dlpi_addr + ph.p_vaddr;
      relroEnd = relroStart + ph.p_memsz;
    }
  }
  if (dynamic == nullptr) return 0;
  const ElfW(Sym)* symtab = nullptr;
  const char* strtab = nullptr;
  const ElfW(Rela)* jmprel = nullptr;
  size_t jmprelSize = 0;
  // ld.so has relocated these d_ptr values in place on glibc; add the base when it has not.
  auto address = [info](ElfW(Addr) p) { return p < info->dlpi_addr ? p + info->dlpi_addr : p; };
  for (const ElfW(Dyn)* d = dynamic; d->d_tag != DT_NULL; ++d) {
    if (d->d_tag == DT_SYMTAB) symtab = reinterpret_cast<const ElfW(Sym)*>(address(d->d_un.d_ptr));
    if (d->d_tag == DT_STRTAB) strtab = reinterpret_cast<const char*>(address(d->d_un.d_ptr));
    if (d->d_tag == DT_JMPREL) jmprel = reinterpret_cast<const ElfW(Rela)*>(address(d->d_un.d_ptr));
    if (d->d_tag == DT_PLTRELSZ) jmprelSize = d->d_un.d_val;
  }
  if (symtab == nullptr || strtab == nullptr || jmprel == nullptr) return 0;
  long page = sysconf(_SC_PAGESIZE);
  for (size_t i = 0; i < jmprelSize / sizeof(ElfW(Rela)); ++i) {
    const ElfW(Rela)& rel = jmprel[i];
    if (ELF64_R_TYPE(rel.r_info) != R_X86_64_JUMP_SLOT) continue;
    if (std::strcmp(strtab + symtab[ELF64_R_SYM(rel.r_info)].st_name, "bind") != 0) continue;
    auto* slot = reinterpret_cast<void**>(info->dlpi_addr + rel.r_offset);
    auto* start = reinterpret_cast<void*>(reinterpret_cast<uintptr_t>(slot) & ~static_cast<uintptr_t>(page - 1));
    // Under full RELRO the table is read-only after loading: write it, then make it read-only again.
    const bool relro = reinterpret_cast<uintptr_t>(slot) >= relroStart && reinterpret_cast<uintptr_t>(slot) < relroEnd;
    if (relro && mprotect(start, page, PROT_READ | PROT_WRITE) != 0) continue;
    *slot = reinterpret_cast<void*>(&BindHook);
    if (relro) mprotect(start, page, PROT_READ);
    ++*patched;
  }
  return 0;
}

}  // namespace

ListenAddressGuard::ListenAddressGuard(const std::string& address, int port) {
  sockaddr_storage parsed{};
  auto* in = reinterpret_cast<sockaddr_in*>(&parsed);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&parsed);
  if (inet_pton(AF_INET, address.c_str(), &in->sin_addr) == 1) {
    parsed.ss_family = AF_INET;
  } else if (inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr) == 1) {
    parsed.ss_family = AF_INET6;
  } else {
    throw std::runtime_error("listen address '" + address + "' is not an IP address");
  }
  armMutex.lock();
  if (!hooked) {
    realBind = reinterpret_cast<BindFn>(dlsym(RTLD_NEXT, "bind"));
    if (realBind == nullptr) realBind = &::bind;
    int patched = 0;
    dl_iterate_phdr(&PatchObject, &patched);
    if (patched == 0) {
      armMutex.unlock();
      throw std::runtime_error("cannot narrow the server's listening address: libtensorflow's bind() was not found");
    }
    hooked = true;
  }
  std::lock_guard<std::mutex> lock(stateMutex);
  armed = true;
  armedPort = port;
  armedAddress = parsed;
  redirectCount = 0;
}

ListenAddressGuard::~ListenAddressGuard() {
  {
    std::lock_guard<std::mutex> lock(stateMutex);
    armed = false;
  }
  armMutex.unlock();
}

int ListenAddressGuard::redirected() const {
  std::lock_guard<std::mutex> lock(stateMutex);
  return redirectCount;
}

}  // namespace tfnapi
