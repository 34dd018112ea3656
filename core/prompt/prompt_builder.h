#pragma once

#include "data/dataset.h"
#include "prompt/template.h"

#include <functional>
#include <string>
#include <vector>

namespace wb {

// One prompt made from one dataset record (and, for logic problems, one sub-question).
struct RenderedPrompt
{
    size_t recordRow = 0;       // the record's row in its file
    size_t questionIndex = 0;   // sub-question index for Logic, 0 otherwise
    std::string recordId;       // Logic: the problem id; otherwise "row N"
    std::string text;           // the rendered prompt
    std::string expected;       // the reference answer: letter for Logic, output for Alpaca,
                                // last assistant message for Chat; "" when unknown
};

// The variables a record offers to a template, per sub-question:
//  Logic:  id, problem, question, options (list of strings), answer (letter or ""),
//          answer_text, question_index (0-based), question_number (1-based),
//          question_count, option_letters ("A, B, C, D"), rationale (or "")
//  Alpaca: instruction, input, output, system
//  Chat:   messages (list of {role, content}), system, prompt (last user message),
//          response (last assistant message), history (messages before that user turn)
// Every variable is also exported as its name, so a template can be previewed everywhere.
// Every format also offers `context`: the retrieved knowledge-base passages ("" unless a
// ContextProvider fills it), so `{{context}}` and `{{#if context}}` work in any template.
std::vector<nlohmann::json> templateContexts(DatasetFormat format, const DatasetRecord &record);

// Fills `context` for one prompt from that prompt's variables (a knowledge base searches
// with its question: see rag::knowledgeContext).
using ContextProvider = std::function<std::string(const nlohmann::json &variables)>;

// Renders one record: one prompt per sub-question for Logic, one prompt otherwise.
std::vector<RenderedPrompt> renderRecord(const PromptTemplate &tpl, DatasetFormat format,
                                         const DatasetRecord &record,
                                         const ContextProvider &contextFor = {});

struct BuiltinTemplate
{
    std::string name;        // stable name, e.g. "logic-zh-cot"
    std::string description; // one line, English (the UI translates it)
    std::string body;
};

// The templates every workspace starts with: the competition-style Chinese chain-of-thought
// prompt (ends with a line "答案是：X"), its English equivalent, a direct answer-letter prompt,
// and an Alpaca prompt.
const std::vector<BuiltinTemplate> &builtinTemplates();

// Line diff between two texts (longest common subsequence), for version history.
struct DiffLine
{
    enum class Op { Same, Added, Removed };
    Op op;
    std::string text;
};
std::vector<DiffLine> diffLines(const std::string &before, const std::string &after);

} // namespace wb
