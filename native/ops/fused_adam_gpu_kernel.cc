// TfNapiFusedApplyAdam's GPU kernel: the same inputs, checks and locking as the CPU kernel, then
// one multi-tensor launch (fused_adam_gpu.cu) on the op's GPU stream, with the learning rate and
// iterations read on the device (no host sync). Built only with TF_NAPI_GPU=1 and a CUDA toolkit;
// compiled by the host compiler against TF's headers (it needs no CUDA header).
//
// Numbers: native/kernels/fused_adam.cuh's (0 ulp against its CPU reference on an H200). They
// equal the CPU kernel's except that beta^t is float(beta^t) from a double ladder instead of
// powf (TF's Pow on the CPU): equal in all but rare cases, then 1 ulp in beta^t.
#include <string>
#include <vector>

#include "fused_adam_common.h"
#include "fused_adam_gpu.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "xla/stream_executor/stream.h"

namespace tfnapi_ops {
namespace {

class FusedApplyAdamGpu : public tensorflow::OpKernel {
 public:
  explicit FusedApplyAdamGpu(OpKernelConstruction* c) : OpKernel(c) { OP_REQUIRES_OK(c, attrs_.Read(c)); }

  void Compute(OpKernelContext* ctx) override {
    const Attrs& a = attrs_;
    if (ctx->num_inputs() != 4 * a.n + a.k + 2) {
      ctx->CtxFailure(absl::InvalidArgumentError(std::string(kOpName) + ": wrong number of inputs"));
      return;
    }
    tensorflow::DeviceContext* device_context = ctx->op_device_context();
    stream_executor::Stream* se_stream = device_context != nullptr ? device_context->stream() : nullptr;
    void* stream = se_stream != nullptr ? se_stream->platform_specific_handle().stream : nullptr;
    OP_REQUIRES(ctx, stream != nullptr, absl::InternalError(std::string(kOpName) + ": no GPU stream for this op"));

    LockedVariables locked;
    OP_REQUIRES_OK(ctx, locked.Acquire(ctx, a));
    const Tensor* lr = nullptr;
    const Tensor* iterations = nullptr;
    OP_REQUIRES_OK(ctx, CheckedScalar(a, locked.var(a.lr()), a.lr(), tensorflow::DT_FLOAT, &lr));
    OP_REQUIRES_OK(ctx, CheckedScalar(a, locked.var(a.iterations()), a.iterations(), tensorflow::DT_INT64, &iterations));

    std::vector<GpuTensor> tensors(a.n);
    for (int i = 0; i < a.n; ++i) {
      const Tensor& grad = ctx->input(a.grad(i));
      float* buffers[4] = {nullptr, nullptr, nullptr, nullptr};
      const int inputs[4] = {a.var(i), a.m(i), a.v(i), a.amsgrad ? a.vhat(i) : -1};
      for (int j = 0; j < 4; ++j) {
        if (inputs[j] < 0) continue;
        Var* var = locked.var(inputs[j]);
        OP_REQUIRES_OK(ctx, CheckedVariable(a, var, inputs[j], grad, i));
        // TF's PrepareToUpdateVariable, with the copy on this stream: a buffer a read still
        // shares (or any, in copy-on-read mode) is copied before it is updated.
        if (var->copy_on_read_mode.load() || !var->tensor()->RefCountIsOne()) {
          Tensor copy;
          tsl::AllocatorAttributes attr;
          attr.set_gpu_compatible(true);
          attr.set_nic_compatible(true);
          OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, var->tensor()->shape(), &copy, attr));
          const int error = CopyDeviceToDevice(copy.flat<float>().data(), var->tensor()->flat<float>().data(),
                                               var->tensor()->TotalBytes(), stream);
          OP_REQUIRES(ctx, error == 0,
                      absl::InternalError(std::string(kOpName) + ": copy-on-write of " + InputName(a, inputs[j]) +
                                          " failed: " + CudaErrorString(error)));
          *var->tensor() = copy;
        }
        buffers[j] = var->tensor()->flat<float>().data();
      }
      tensors[i] = GpuTensor{buffers[0], grad.flat<float>().data(), buffers[1], buffers[2], buffers[3], grad.NumElements()};
    }
    const GpuHyper hyper{a.beta1, a.beta2, a.epsilon, a.weight_decay, a.amsgrad};
    const int error = FusedAdamGpuLaunch(tensors.data(), a.n, lr->flat<float>().data(),
                                         reinterpret_cast<const long long*>(iterations->flat<int64_t>().data()), hyper, stream);
    OP_REQUIRES(ctx, error == 0, absl::InternalError(std::string(kOpName) + ": launch failed: " + CudaErrorString(error)));
  }

 private:
  Attrs attrs_;
};

// Resource handles live in host memory; the variables' buffers (and lr, iterations) on the GPU.
REGISTER_KERNEL_BUILDER(Name("TfNapiFusedApplyAdam")
                            .Device(tensorflow::DEVICE_GPU)
                            .HostMemory("var")
                            .HostMemory("m")
                            .HostMemory("v")
                            .HostMemory("vhat")
                            .HostMemory("lr")
                            .HostMemory("iterations")
                            .TypeConstraint<float>("T"),
                        FusedApplyAdamGpu);

}  // namespace
}  // namespace tfnapi_ops
