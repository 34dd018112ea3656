// The demo's knowledge base: a short reasoning handbook (English and Chinese) about the four
// families of demo puzzles, indexed with the model-free hashing embedder so that retrieval and
// {{context}} work on a fresh machine without downloading anything.
#include "store/demo_seed.h"

#include "common/error.h"
#include "common/files.h"
#include "prompt/prompt_builder.h"
#include "rag/knowledge_base.h"
#include "store/template_store.h"
#include "store/workspace.h"

#include <algorithm>
#include <filesystem>

namespace wb {

namespace {

struct DemoDocument
{
    const char *name;
    const char *text;
};

const DemoDocument kDocuments[] = {
    {"reasoning-handbook.md", R"(# Reasoning handbook

This handbook collects the methods that solve the four kinds of puzzle in the demo data set:
orderings, truth-tellers and liars, syllogisms and club memberships. Each section ends with the
mistakes that most often lead to a wrong option.

## Orderings

An ordering puzzle places people or objects in a row, a queue or a ranking. Write the positions
as slots 1..n and turn every clue into a constraint: "A is ahead of B" means pos(A) < pos(B);
"A is directly ahead of B" means pos(A) + 1 = pos(B); "A is not first or last" removes two slots.

Start with the clue that fixes the most: an absolute position, then adjacency, then order.
When two placements remain, test each against every clue instead of guessing. A question that
asks what "must be true" needs a statement that holds in every placement left; "could be true"
needs only one placement.

Common mistakes: reading "ahead of" as "directly ahead of", and forgetting that a queue of five
has exactly one person in each slot.

## Truth-tellers and liars

On the island every inhabitant is either a truth-teller, who always tells the truth, or a liar,
who always lies. Try each assignment of types. With n speakers there are 2^n assignments, which
is few enough to check all of them. An assignment is consistent when every truth-teller's
statement is true and every liar's statement is false.

A speaker who says "I am a liar" is impossible: a truth-teller would be lying and a liar would be
telling the truth. Two speakers who accuse each other ("B is a liar", "A is a liar") are of
different types. To count the liars, count them in each consistent assignment; the answer is
unique only when every consistent assignment gives the same count.

## Syllogisms under the closed world

A syllogism puzzle gives facts ("Lin is a painter") and rules ("every painter is a musician",
"no musician is a sailor"). Under the closed-world assumption, whatever the facts and rules do
not force is false: if nothing says that Lin is a sailor, Lin is not a sailor.

Apply the rules repeatedly until nothing new follows, then read the answer off the closure.
"Every A is a B" passes membership forward only: a B need not be an A. "No A is a B" blocks a
membership, and a rule that would make someone both is a contradiction in the data.

## Club memberships

A set puzzle starts with club lists and then applies events in order: someone joins, someone
leaves, or "every member of X also joined Y". Replay the events one at a time on the lists and
answer from the final lists, never from the initial ones. An intersection question asks who is in
both clubs at the end; a count question asks how many members a club ends with.

## Answering multiple-choice questions

Solve the problem first, then compare each option with the solution and eliminate the options
that contradict it. Exactly one option is correct. Finish with one line that names the letter,
for example "The answer is: C".
)"},
    {"推理手册.md", R"(# 推理方法手册

本手册介绍示例数据集中四类题目的解法：排序、诚实者与说谎者、封闭世界下的三段论、社团成员集合。

## 排序题

排序题把若干人或物放进一排、一列或一个名次表。把位置写成 1 到 n 的格子，把每条线索变成约束：
“甲在乙前面”表示甲的位置小于乙；“甲紧挨在乙前面”表示甲的位置加一等于乙的位置。

先用确定性最强的线索（固定位置），再用相邻关系，最后用先后关系。剩下两种排法时，逐一检验，
不要猜。“一定为真”要求在所有剩余排法中都成立；“可能为真”只要求至少一种排法成立。

## 诚实者与说谎者

岛上的居民分为两类：诚实者总说真话，说谎者总说假话。逐一尝试每种身份分配：n 个人共有 2 的 n 次方
种分配，全部检验即可。一种分配成立，当且仅当每个诚实者的话为真、每个说谎者的话为假。

说“我是说谎者”的人不可能存在。两人互相指认对方是说谎者时，二人身份必然不同。统计说谎者人数时，
要在每种成立的分配中分别计数，只有各分配的人数相同时答案才唯一。

## 三段论与封闭世界假设

题目给出事实（“林是画家”）和规则（“所有画家都是音乐家”“没有音乐家是水手”）。在封闭世界假设下，
事实和规则推不出的结论一律为假。反复应用规则直到不再产生新结论，再从结果中读出答案。
“所有甲都是乙”只能向前传递：乙不一定是甲。

## 社团成员

集合题先给出各社团的名单，再按顺序发生事件：有人加入、有人退出，或“甲社的所有成员也加入了乙社”。
按顺序在名单上重演每个事件，并用最终名单作答，而不是初始名单。

## 作答格式

先解题，再把每个选项与结论对照，排除矛盾的选项。恰好有一个选项正确。最后单独一行写出答案，
例如“答案是：C”。
)"},
    {"workbench-notes.txt", R"(Notes on retrieval in LLM Workbench

A prompt template that contains {{context}} receives the passages that the chosen knowledge base
returns for the question of each prompt. The passages are numbered and carry their source, for
example "[1] reasoning-handbook.md", so the model can cite them.

Hybrid search fuses two rankings by reciprocal rank: the vector ranking (cosine similarity of
embeddings) and the BM25 ranking of the full-text index. The vector weight sets the share of the
vector ranking. Maximal marginal relevance (MMR) re-orders the top results so that near-duplicate
passages do not crowd out different ones.

This demo collection uses the hashing embedder, which needs no model: it compares shared words
and character n-grams, not meaning. Create a collection with a sentence encoder (bge, MiniLM,
e5) for retrieval by meaning.
)"},
};

// The direct-answer prompt with reference notes: {{context}} is filled with the passages
// retrieved for each question (empty, and the section left out, when no collection is chosen).
std::string ragTemplate()
{
    for (const auto &b : builtinTemplates())
        if (b.name == "logic-direct") {
            std::string body = b.body;
            body.insert(std::min(body.find("### Problem:"), body.size()),
                        "{{#if context}}\n### Reference notes:\n{{context}}\n\n{{/if}}\n");
            return body;
        }
    throw Error(ErrorCode::Internal, "the built-in template logic-direct is missing");
}

} // namespace

bool seedDemoKnowledgeBase(Workspace &ws)
{
    const std::string name = "demo-handbook";
    for (const auto &c : rag::KnowledgeBase::list(ws))
        if (c.name == name)
            return false;
    const std::filesystem::path dir = ws.filesDir() / "demo-kb";
    std::filesystem::create_directories(dir);
    for (const auto &d : kDocuments)
        writeFileAtomic(dir / std::filesystem::u8path(d.name), d.text);
    rag::KnowledgeBase::create(ws, name,
                               {{"chunker", {{"unit", "chars"}, {"size", 500}, {"overlap", 80}}},
                                {"embedder", {{"kind", "hashing"}, {"dim", 384}}}},
                               "reasoning handbook for the demo puzzles (hashing embedder)");
    auto kb = rag::KnowledgeBase::open(ws, name);
    rag::IngestRequest request;
    request.paths = {dir};
    kb->ingest(request);
    TemplateStore templates(ws);
    if (!templates.find("logic-rag"))
        templates.create("logic-rag", ragTemplate(),
                         "Direct answer with reference notes from a knowledge base ({{context}})");
    return true;
}

} // namespace wb
