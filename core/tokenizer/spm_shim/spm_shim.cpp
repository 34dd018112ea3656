// A plugin around libsentencepiece, loaded with dlopen(RTLD_LOCAL | RTLD_DEEPBIND).
//
// Why: Debian's libsentencepiece carries its own copy of protobuf-lite 3.14 and exports its
// symbols; libtorch loads the system's full libprotobuf 3.21. Linked into one process the two
// bind to each other's symbols and the process aborts while loading. Kept in a local scope
// with deep binding, sentencepiece only ever sees its own protobuf. The interface is plain C
// so nothing C++ crosses the boundary.

#include <sentencepiece_processor.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {
void setError(char *err, size_t len, const std::string &msg)
{
    if (err && len > 0) {
        std::strncpy(err, msg.c_str(), len - 1);
        err[len - 1] = '\0';
    }
}
char *copyOut(const std::string &s, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *len = s.size();
    return p;
}
} // namespace

extern "C" {

__attribute__((visibility("default"))) void *wbspm_load(const char *path, char *err, size_t errLen)
{
    auto *sp = new sentencepiece::SentencePieceProcessor();
    const auto status = sp->Load(path);
    if (!status.ok()) {
        setError(err, errLen, status.ToString());
        delete sp;
        return nullptr;
    }
    return sp;
}

__attribute__((visibility("default"))) void wbspm_free(void *h)
{
    delete static_cast<sentencepiece::SentencePieceProcessor *>(h);
}

__attribute__((visibility("default"))) void wbspm_free_buffer(void *p) { std::free(p); }

__attribute__((visibility("default"))) int wbspm_piece_size(void *h)
{
    return static_cast<sentencepiece::SentencePieceProcessor *>(h)->GetPieceSize();
}

// ids: malloc'ed array of *count ints. Returns 0 on success.
__attribute__((visibility("default"))) int wbspm_encode_ids(void *h, const char *text, size_t len,
                                                           int **ids, size_t *count, char *err,
                                                           size_t errLen)
{
    std::vector<int> out;
    const auto status = static_cast<sentencepiece::SentencePieceProcessor *>(h)->Encode(
        std::string(text, len), &out);
    if (!status.ok()) {
        setError(err, errLen, status.ToString());
        return 1;
    }
    *ids = static_cast<int *>(std::malloc(std::max<size_t>(1, out.size()) * sizeof(int)));
    if (!*ids)
        return 1;
    std::memcpy(*ids, out.data(), out.size() * sizeof(int));
    *count = out.size();
    return 0;
}

// The first piece only (enough to probe add_dummy_prefix): malloc'ed, NUL-terminated.
__attribute__((visibility("default"))) char *wbspm_first_piece(void *h, const char *text, size_t len,
                                                              size_t *outLen)
{
    std::vector<std::string> pieces;
    const auto status = static_cast<sentencepiece::SentencePieceProcessor *>(h)->Encode(
        std::string(text, len), &pieces);
    return copyOut(status.ok() && !pieces.empty() ? pieces.front() : std::string(), outLen);
}

__attribute__((visibility("default"))) char *wbspm_id_to_piece(void *h, int id, size_t *outLen)
{
    return copyOut(static_cast<sentencepiece::SentencePieceProcessor *>(h)->IdToPiece(id), outLen);
}

__attribute__((visibility("default"))) int wbspm_piece_to_id(void *h, const char *piece, size_t len)
{
    return static_cast<sentencepiece::SentencePieceProcessor *>(h)->PieceToId(
        std::string(piece, len));
}

// which: 0 bos, 1 eos, 2 unk, 3 pad
__attribute__((visibility("default"))) int wbspm_special_id(void *h, int which)
{
    auto *sp = static_cast<sentencepiece::SentencePieceProcessor *>(h);
    switch (which) {
    case 0: return sp->bos_id();
    case 1: return sp->eos_id();
    case 2: return sp->unk_id();
    default: return sp->pad_id();
    }
}

__attribute__((visibility("default"))) int wbspm_is_control(void *h, int id)
{
    return static_cast<sentencepiece::SentencePieceProcessor *>(h)->IsControl(id) ? 1 : 0;
}

__attribute__((visibility("default"))) int wbspm_is_unknown(void *h, int id)
{
    return static_cast<sentencepiece::SentencePieceProcessor *>(h)->IsUnknown(id) ? 1 : 0;
}

} // extern "C"
