// PDF text through poppler-cpp, page by page, with a reason for every page or file that
// yields no text (scanned images need OCR, which the workbench does not do).
#include "rag/readers.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace wb::rag {

namespace {

// Poppler reports syntax errors on stderr; the skip reason says what matters instead.
void quietPoppler()
{
    static std::once_flag once;
    std::call_once(once, [] {
        poppler::set_debug_error_function([](const std::string &, void *) {}, nullptr);
    });
}

bool blank(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

} // namespace

ExtractedDocument extractPdf(std::string_view bytes, const std::string &name)
{
    quietPoppler();
    ExtractedDocument doc;
    doc.kind = "pdf";
    doc.pageLabel = "p.";
    if (bytes.size() < 5 || bytes.substr(0, 5) != "%PDF-") {
        doc.skipReason = "not a PDF (no %PDF- header)";
        return doc;
    }
    poppler::byte_array data(bytes.begin(), bytes.end());
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_data(&data));
    if (!pdf) {
        doc.skipReason = "damaged PDF: poppler could not open it";
        return doc;
    }
    if (pdf->is_locked()) {
        doc.skipReason = "encrypted PDF: needs a password";
        return doc;
    }
    doc.pageCount = pdf->pages();
    if (doc.pageCount <= 0) {
        doc.skipReason = "damaged PDF: no pages";
        return doc;
    }
    int empty = 0;
    for (int p = 0; p < doc.pageCount; ++p) {
        std::unique_ptr<poppler::page> page(pdf->create_page(p));
        std::string text;
        if (page) {
            const poppler::byte_array utf8 = page->text().to_utf8();
            text.assign(utf8.begin(), utf8.end());
        }
        // Form feeds separate pages in the extracted text; poppler may emit its own.
        std::replace(text.begin(), text.end(), '\f', '\n');
        std::replace(text.begin(), text.end(), '\r', '\n');
        if (!page) {
            doc.warnings.push_back("page " + std::to_string(p + 1) + ": damaged, left out");
            ++empty;
            continue;
        }
        if (blank(text)) {
            doc.warnings.push_back("page " + std::to_string(p + 1) +
                                   ": no text layer (a scanned image needs OCR), left out");
            ++empty;
            continue;
        }
        doc.pages.push_back({doc.text.size(), p + 1});
        doc.text += text;
        if (doc.text.back() != '\n')
            doc.text += '\n';
        doc.text += '\f';
    }
    if (empty == doc.pageCount)
        doc.skipReason = doc.pageCount == 1
                             ? "image-only PDF: its page has no text layer (needs OCR)"
                             : "image-only PDF: none of its " + std::to_string(doc.pageCount) +
                                   " pages has a text layer (needs OCR)";
    (void)name;
    return doc;
}

} // namespace wb::rag
