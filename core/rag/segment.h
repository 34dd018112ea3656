#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wb::rag {

// Terms for full-text search. FTS5's unicode61 tokenizer does not segment Chinese, so the
// index holds a shadow text built here: CJK characters as unigrams and adjacent-pair bigrams,
// other letters and digits as lowercased words. Queries are segmented the same way.
struct Term
{
    std::string text;          // lowercased term
    size_t start = 0, end = 0; // UTF-8 byte range in the source text
};
std::vector<Term> segmentTerms(std::string_view text);

// The terms joined by spaces: what kb_chunks_fts stores.
std::string segmentForIndex(std::string_view text);

// An FTS5 MATCH expression ORing the query's distinct terms, each quoted; "" when the query
// has no terms.
std::string ftsQuery(std::string_view query);

bool isCjk(char32_t cp);

} // namespace wb::rag
