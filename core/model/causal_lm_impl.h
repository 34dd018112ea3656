#pragma once

// Internal to core/model (*_torch.cpp): CausalLM's state and the helpers its sources share.

#include "model/llama_torch.h"

#include "common/error.h"
#include "model/device_memory.h"

#include <memory>
#include <string>
#include <vector>

namespace wb {

struct CausalLM::Impl
{
    std::unique_ptr<model::Model> model;
    uint64_t cudaPeak = 0; // driver-reported bytes in use, sampled after forwards
    uint64_t sampleCalls = 0;
    // Adapters held beside LoadOptions::adapterDir (selectAdapter): each one's LoRA pair per
    // (layer, module) in loraTargets order, null where it does not apply.
    std::vector<std::vector<std::shared_ptr<model::LoraWeights>>> adapters;

    void loadExtraAdapters();
    void select(int index); // -1: no pairs at all

    void checkIds(const std::vector<int32_t> &ids) const
    {
        for (int32_t id : ids) {
            if (id < 0 || id >= model->config.vocabSize)
                throw Error(ErrorCode::Validation,
                            "token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                std::to_string(model->config.vocabSize - 1) + ")",
                            model->dir.string());
        }
    }
    std::vector<ContinuationScore>
    scoreImpl(const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> &pairs,
              int batchSize);
    std::vector<std::vector<float>> embedImpl(const std::vector<std::vector<int32_t>> &sequences,
                                              Pooling pooling, int batchSize);

    // Sampling the driver's memory counter is a driver call (an ioctl, slow under
    // virtualisation): after every prefill, but only every 32nd single-token step.
    void sample(bool force = true)
    {
        if (!model->device.is_cuda())
            return;
        if (!force && (++sampleCalls % 32) != 1)
            return;
        const model::DeviceMemory m = model::deviceMemory(model->device.str());
        if (m.known)
            cudaPeak = std::max(cudaPeak, m.total - m.free);
    }
};

namespace model {

inline std::vector<float> toVector(const at::Tensor &t)
{
    const at::Tensor c = t.to(at::kCPU, at::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Torch reports failures (out of memory, a kernel missing for a dtype) as c10::Error; callers
// of CausalLM only ever see wb::Error.
template <typename F> auto guarded(const char *what, F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (const Error &) {
        throw;
    } catch (const c10::Error &e) {
        const std::string msg = e.what_without_backtrace();
        if (msg.find("out of memory") != std::string::npos)
            throw Error(ErrorCode::Validation,
                        std::string(what) +
                            ": out of memory; try a smaller batch or context, "
                            "bf16 or int8 weights (" +
                            msg.substr(0, 200) + ")");
        throw Error(ErrorCode::Internal, std::string(what) + " failed: " + msg.substr(0, 400));
    }
}

// Every (layer, module) Linear a LoRA adapter may target, in a fixed order.
std::vector<Linear *> loraTargets(Model &model);

} // namespace model

} // namespace wb
