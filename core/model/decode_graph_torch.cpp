// DecodeGraph: single-token decoding through Model::decodeStatic with every buffer fixed, so
// that the step can be captured once as a CUDA graph and replayed. Decoding a 0.5B model on a
// big GPU is bound by kernel launches (a few hundred per token), not by the GPU; one graph launch
// replaces them. Built with graphs only where libtorch has CUDA (WB_CUDA_GRAPHS, set by the
// build when it finds c10_cuda); elsewhere the static step runs eagerly.

#include "model/llama_torch.h"

#include "common/error.h"

#ifdef WB_CUDA_GRAPHS
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <cstdlib>

namespace wb::model {

struct DecodeGraph::Impl
{
    at::Tensor ids, pos, slot, valid; // the step's inputs, at fixed addresses
    at::Tensor out;                   // the captured step's logits
    int64_t capacity = 0;
    bool useGraph = false;
#ifdef WB_CUDA_GRAPHS
    std::unique_ptr<at::cuda::CUDAGraph> graph;
#endif
};

bool DecodeGraph::supports(const Model &model, bool *cuda)
{
    const bool ok = model.config.rope.type != RopeType::Dynamic && !model.config.slidingWindow;
    if (cuda) {
#ifdef WB_CUDA_GRAPHS
        *cuda = ok && model.device.is_cuda() && !std::getenv("WB_NO_CUDA_GRAPHS");
#else
        *cuda = false;
#endif
    }
    return ok;
}

DecodeGraph::DecodeGraph(const Model &model, KvCache &cache, int64_t room)
    : m_impl(std::make_unique<Impl>())
{
    if (!supports(model, &m_impl->useGraph))
        throw Error(ErrorCode::Internal, "static decoding does not support this model");
    if (cache.rows <= 0 || cache.k.empty())
        throw Error(ErrorCode::Internal, "static decoding needs a prefilled cache");
    cache.reserve(room, /*exact=*/true);
    // The step attends over every slot (masked): free ones must hold numbers, not whatever the
    // allocator left there (NaN times a zero weight is NaN).
    for (auto *list : {&cache.k, &cache.v})
        for (at::Tensor &t : *list)
            t.narrow(2, cache.length, room).zero_();
    Impl &m = *m_impl;
    m.capacity = cache.length + room;
    const auto longs = at::TensorOptions().dtype(at::kLong).device(model.device);
    m.ids = at::zeros({cache.rows, 1}, longs);
    m.pos = at::zeros({cache.rows, 1}, longs);
    m.slot = at::zeros({1}, longs);
    m.valid = at::zeros({cache.rows, m.capacity},
                        at::TensorOptions().dtype(at::kBool).device(model.device));
    if (cache.length > 0)
        m.valid.narrow(1, 0, cache.length).copy_(cache.valid);
}

DecodeGraph::~DecodeGraph() = default;

int64_t DecodeGraph::room(const KvCache &cache) const
{
    return m_impl->capacity - cache.length;
}

DecodeGraph::DecodeGraph(const Model &model, KvCache &cache, PerRow perRow)
    : m_impl(std::make_unique<Impl>())
{
    // The caller caps the context at the sliding window and at max_position_embeddings, so the
    // static step computes what the forward would. Dynamic RoPE reads positions on the host, which
    // a graph cannot capture: such models step eagerly.
#ifdef WB_CUDA_GRAPHS
    m_impl->useGraph = model.device.is_cuda() && model.config.rope.type != RopeType::Dynamic &&
                       !std::getenv("WB_NO_CUDA_GRAPHS");
#endif
    if (cache.rows <= 0 || cache.k.empty() || perRow.valid.size(0) != cache.rows ||
        perRow.valid.size(1) != cache.k[0].size(2))
        throw Error(ErrorCode::Internal, "per-row decoding needs a cache and a mask of one shape");
    Impl &m = *m_impl;
    m.capacity = cache.k[0].size(2);
    const auto longs = at::TensorOptions().dtype(at::kLong).device(model.device);
    m.ids = at::zeros({cache.rows, 1}, longs);
    m.pos = at::zeros({cache.rows, 1}, longs);
    m.slot = at::zeros({cache.rows, 1}, longs);
    m.valid = perRow.valid;
}

at::Tensor DecodeGraph::stepRows(const Model &model, KvCache &cache, const at::Tensor &ids,
                                 const at::Tensor &slots)
{
    Impl &m = *m_impl;
    if (cache.k.empty() || cache.k[0].size(2) != m.capacity || m.slot.dim() != 2)
        throw Error(ErrorCode::Internal, "the cache was resized under a static decoder");
    m.ids.copy_(ids);
    m.slot.copy_(slots);
    m.pos.copy_(slots); // a row's slot is its position
    return run(model, cache);
}

at::Tensor DecodeGraph::step(const Model &model, KvCache &cache, const at::Tensor &ids)
{
    Impl &m = *m_impl;
    const int64_t L = cache.length;
    if (L >= m.capacity)
        throw Error(ErrorCode::Internal, "the static decoding cache is full");
    if (cache.k.empty() || cache.k[0].size(2) != m.capacity)
        throw Error(ErrorCode::Internal, "the cache was resized under a static decoder");
    m.ids.copy_(ids);
    m.pos.copy_(cache.nextPos.unsqueeze(1));
    m.slot.fill_(L);
    m.valid.narrow(1, L, 1).fill_(true);
    const at::Tensor logits = run(model, cache);
    cache.length = L + 1;
    cache.valid = m.valid.narrow(1, 0, L + 1);
    cache.nextPos = cache.nextPos + 1;
    return logits;
}

at::Tensor DecodeGraph::run(const Model &model, KvCache &cache)
{
    Impl &m = *m_impl;
    at::Tensor logits;
#ifdef WB_CUDA_GRAPHS
    if (m.useGraph && m.graph) {
        m.graph->replay();
        logits = m.out;
    } else if (m.useGraph) {
        // This step runs eagerly on a side stream (which also warms cuBLAS up there), then the
        // same step is captured on it; later steps replay the capture.
        const c10::cuda::CUDAStream main = c10::cuda::getCurrentCUDAStream();
        const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool();
        at::cuda::CUDAEvent ready;
        ready.record(main);
        ready.block(side);
        {
            c10::cuda::CUDAStreamGuard guard(side);
            logits = model.decodeStatic(m.ids, m.pos, m.slot, m.valid, cache);
            side.synchronize();
            // Thread-local capture: other threads (another job's model) may use CUDA meanwhile.
            // A capture that fails leaves this decoder eager; the step itself is already done.
            try {
                m.graph = std::make_unique<at::cuda::CUDAGraph>();
                m.graph->capture_begin({0, 0}, cudaStreamCaptureModeThreadLocal);
                m.out = model.decodeStatic(m.ids, m.pos, m.slot, m.valid, cache);
                m.graph->capture_end();
            } catch (const std::exception &) {
                m.graph.reset();
                m.out = at::Tensor();
                m.useGraph = false;
            }
        }
        at::cuda::CUDAEvent done;
        done.record(side);
        done.block(main);
    } else
#endif
    {
        logits = model.decodeStatic(m.ids, m.pos, m.slot, m.valid, cache);
    }
    return logits;
}

} // namespace wb::model
