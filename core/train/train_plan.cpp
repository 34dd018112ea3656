// The plan shown before a run starts and the examples it trains on: datasets parsed, split,
// rendered through the template, tokenized. Torch-free.

#include "train/train_data.h"

#include "common/error.h"
#include "data/dataset.h"
#include "formats/hf_config.h"
#include "formats/peft.h"
#include "tokenizer/chat_template.h"
#include "tokenizer/tokenizer.h"

namespace wb {

TrainData prepareTrainData(const TrainConfig &config)
{
    config.validatePlan();
    TrainData data;
    TrainPlan &plan = data.plan;
    const ModelConfig model = loadModelConfig(config.modelDir);
    plan.totalParameters = parameterCount(model);
    if (config.method == "lora") {
        uint64_t n = 0;
        for (int layer = 0; layer < int(model.numLayers); ++layer) {
            if (!config.lora.coversLayer(layer))
                continue;
            for (const auto &m : config.lora.targetModules) {
                const auto [out, in] = loraModuleShape(model, m);
                n += uint64_t(config.lora.r) * uint64_t(in + out);
            }
        }
        plan.trainableParameters = n;
        plan.totalParameters += n;
    } else if (config.trainLastLayers <= 0 || config.trainLastLayers >= model.numLayers) {
        plan.trainableParameters = plan.totalParameters;
    } else {
        ModelConfig one = model;
        one.numLayers = 1;
        ModelConfig none = model;
        none.numLayers = 0;
        const uint64_t perLayer = parameterCount(one) - parameterCount(none);
        plan.trainableParameters = perLayer * uint64_t(config.trainLastLayers);
    }

    const auto tokenizer = Tokenizer::load(config.modelDir);
    std::optional<ChatTemplate> chat;
    if (config.chatTemplate) {
        chat = ChatTemplate::fromModelDir(config.modelDir);
        if (!chat)
            throw Error(ErrorCode::Validation,
                        "the model has no chat template; turn off 'use the model's chat template'");
    }
    SftOptions so;
    so.templateBody = config.templateBody;
    so.chat = chat ? &*chat : nullptr;
    so.trainOnPrompt = config.trainOnPrompt;
    so.maxLength = config.maxLength;
    const ParsedDataset parsed = parseDatasetFile(config.datasetFile);
    if (parsed.fatal || parsed.records.empty())
        throw Error(ErrorCode::Validation,
                    config.datasetFile + ": no usable records" +
                        (parsed.issues.empty() ? "" : " (" + parsed.issues.front().toString() + ")"));
    std::vector<DatasetRecord> train = parsed.records, eval;
    DatasetFormat evalFormat = parsed.format;
    if (!config.evalDatasetFile.empty()) {
        const ParsedDataset e = parseDatasetFile(config.evalDatasetFile);
        eval = e.records;
        evalFormat = e.format;
    } else if (config.evalFraction > 0) {
        DatasetSplit split = splitDataset(parsed.records, config.evalFraction, config.seed);
        train = std::move(split.train);
        eval = std::move(split.eval);
    }
    SftExamples tr = buildSftExamples(parsed.format, train, *tokenizer, so);
    SftExamples ev = buildSftExamples(evalFormat, eval, *tokenizer, so);
    data.train = config.packing ? packExamples(tr.examples, config.maxLength) : std::move(tr.examples);
    data.eval = std::move(ev.examples);
    plan.trainExamples = data.train.size();
    plan.evalExamples = data.eval.size();
    plan.truncated = tr.truncated;
    plan.dropped = tr.dropped;
    plan.targetTokens = tr.targetTokens;
    plan.totalTokens = tr.totalTokens;
    const int64_t perStep = int64_t(config.batchSize) * config.gradAccum;
    plan.stepsPerEpoch = (int64_t(plan.trainExamples) + perStep - 1) / perStep;
    plan.totalSteps =
        config.maxSteps > 0 ? config.maxSteps : plan.stepsPerEpoch * int64_t(config.epochs);
    if (plan.trainExamples == 0)
        throw Error(ErrorCode::Validation,
                    config.datasetFile + ": no training example has a target token (does the "
                                         "dataset have answers?)");
    if (tr.truncated)
        plan.notes.push_back(std::to_string(tr.truncated) + " of " +
                             std::to_string(tr.rendered) + " examples truncated at " +
                             std::to_string(config.maxLength) + " tokens");
    if (tr.dropped)
        plan.notes.push_back(std::to_string(tr.dropped) +
                             " examples dropped (no answer, or nothing left to learn after "
                             "truncation)");
    if (plan.evalExamples == 0)
        plan.notes.push_back("no eval examples: the eval-loss curve will stay empty");
    return data;
}

TrainPlan planTraining(const TrainConfig &config)
{
    return prepareTrainData(config).plan;
}

} // namespace wb
