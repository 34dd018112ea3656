#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wb::rag {

// Where a page (PDF) or a record (JSONL/CSV row) begins in the extracted text.
struct PageSpan
{
    size_t start = 0; // UTF-8 byte offset
    int number = 0;   // 1-based page, or the record's 1-based row in its file
};

// A document's text as the knowledge base sees it. Chunk offsets refer to `text`.
struct ExtractedDocument
{
    std::string kind;                  // txt | md | html | pdf | jsonl | csv
    std::string text;                  // UTF-8, "\n" line ends; PDF pages end with "\f"
    std::vector<PageSpan> pages;       // empty for unpaged formats; sorted by start
    std::string pageLabel;             // "p." for pages, "row" for records
    int pageCount = 0;                 // pages in the file, including pages without text
    std::vector<std::string> warnings; // parts left out ("page 3: no text layer")
    std::string skipReason;            // set when nothing usable was found
    bool skipped() const { return !skipReason.empty(); }
};

struct ReaderOptions
{
    // JSONL/CSV: the field holding the text. Empty: the first of text, content, body,
    // passage, document, page_content that the first record has.
    std::string textField;
};

// "txt", "md", "html", "pdf", "jsonl", "csv" from the extension (case-insensitive), or ""
// for a type the knowledge base does not read.
std::string documentKind(const std::filesystem::path &path);

// Reads and extracts a file. Unreadable content is not an exception: the result carries a
// skipReason naming why (binary, undecodable text, broken or image-only PDF, missing text
// field). Throws Error(Io) only when the file cannot be read at all.
ExtractedDocument readDocument(const std::filesystem::path &path, const ReaderOptions &options = {});
// The same from bytes already in memory; `name` appears in messages.
ExtractedDocument extractDocument(std::string_view bytes, const std::string &kind,
                                  const ReaderOptions &options, const std::string &name);

// Text files: validates UTF-8 (BOM dropped, CRLF -> LF) or converts GB18030; returns false
// with a reason for binary or undecodable bytes.
bool decodeText(std::string_view bytes, std::string &out, std::string &reason);

// HTML to text: scripts, styles and comments dropped, entities decoded, block elements end
// lines, headings become markdown "#" lines so the chunker sees the structure.
std::string htmlToText(std::string_view html);

// PDF via poppler (pdf_reader.cpp).
ExtractedDocument extractPdf(std::string_view bytes, const std::string &name);

} // namespace wb::rag
