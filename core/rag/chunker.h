#pragma once

#include "rag/readers.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::rag {

// How a collection cuts documents. Sizes count characters (Unicode code points) or tokens of
// a tokenizer; the overlap repeats whole trailing sentences of the previous chunk.
struct ChunkerSettings
{
    std::string unit = "chars"; // "chars" or "tokens"
    int size = 800;             // upper bound per chunk (a longer word is cut)
    int overlap = 100;          // at most this much of the previous chunk is repeated
    std::string tokenizer;      // model folder whose tokenizer counts tokens (unit "tokens")

    nlohmann::json toJson() const;
    static ChunkerSettings fromJson(const nlohmann::json &j); // throws Error(Validation)
};

struct Chunk
{
    size_t start = 0, end = 0; // UTF-8 byte range in the extracted text
    int page = 0;              // PageSpan number containing start, 0 when unpaged
    std::string heading;       // enclosing markdown headings, "A > B"
    size_t size = 0;           // in the settings' unit
};

// Measures a piece of text in the chunker's unit; chars when empty.
using Measure = std::function<size_t(std::string_view)>;

// Cuts a document into chunks that are contiguous or overlapping, so every byte of the text
// lies in some chunk; no chunk is empty or only whitespace. Breaks are preferred, in order,
// at a page/record boundary (always), a markdown heading (always), a blank line, a sentence
// end (. ! ? and 。！？；), a line end, a space, and only then inside a word.
std::vector<Chunk> chunkDocument(const ExtractedDocument &doc, const ChunkerSettings &settings,
                                 const Measure &measure = {});

} // namespace wb::rag
