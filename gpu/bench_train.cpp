// The workbench's trainer on the GPU machine: `llmwb bench train` without the CLI (no CLI11 or
// Qt there). Prints one JSON object for gpu/bench_train_peft.py.
//   wb_gpu_bench_train MODEL_DIR [batch] [seq_len] [steps] [rank] [checkpointing 0|1] [device]
//                      [method lora|full] [dtype BF16|F32]
// WB_BENCH_VERBOSE=1 prints every step's loss on stderr.

#include "formats/dtype.h"
#include "train/bench_train.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s MODEL_DIR [batch] [seq_len] [steps] [rank] [ckpt]\n", argv[0]);
        return 2;
    }
    try {
        wb::TrainBenchOptions o;
        o.modelDir = argv[1];
        o.device = argc > 7 ? argv[7] : "cuda";
        o.dtype = o.device == "cpu" ? wb::DType::F32 : wb::DType::BF16;
        if (argc > 8)
            o.method = argv[8];
        if (argc > 9) {
            const auto d = wb::dtypeFromName(argv[9]);
            if (!d)
                throw std::runtime_error(std::string("unknown dtype ") + argv[9]);
            o.dtype = *d;
        }
        o.batch = argc > 2 ? std::stoi(argv[2]) : 4;
        o.seqLen = argc > 3 ? std::stoi(argv[3]) : 1024;
        o.steps = argc > 4 ? std::stoi(argv[4]) : 10;
        o.loraRank = argc > 5 ? std::stoi(argv[5]) : 16;
        o.gradientCheckpointing = argc > 6 && std::string(argv[6]) == "1";
        o.warmupSteps = 2;
        const wb::TrainBenchResult r = wb::benchTrain(o);
        std::cout << nlohmann::json({{"tokens_per_s", r.tokensPerSecond},
                                     {"seconds_per_step", r.secondsPerStep},
                                     {"peak_memory_bytes", r.peakMemoryBytes},
                                     {"trainable_parameters", r.trainableParameters}})
                         .dump()
                  << std::endl;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
