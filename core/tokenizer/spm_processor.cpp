#include "tokenizer/spm_processor.h"

#include "common/error.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <unistd.h>

namespace wb::tok {

namespace {

struct Api
{
    void *(*load)(const char *, char *, size_t) = nullptr;
    void (*free)(void *) = nullptr;
    void (*freeBuffer)(void *) = nullptr;
    int (*pieceSize)(void *) = nullptr;
    int (*encodeIds)(void *, const char *, size_t, int **, size_t *, char *, size_t) = nullptr;
    char *(*firstPiece)(void *, const char *, size_t, size_t *) = nullptr;
    char *(*idToPiece)(void *, int, size_t *) = nullptr;
    int (*pieceToId)(void *, const char *, size_t) = nullptr;
    int (*specialId)(void *, int) = nullptr;
    int (*isControl)(void *, int) = nullptr;
    int (*isUnknown)(void *, int) = nullptr;
    std::string error;
};

const Api &api()
{
    static Api a;
    static std::once_flag once;
    std::call_once(once, [] {
        const auto path = SpmProcessor::pluginPath();
        void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
        if (!lib) {
            const char *e = dlerror();
            a.error = "the sentencepiece plugin could not be loaded from " + path.string() + ": " +
                      (e ? e : "unknown error");
            return;
        }
        auto sym = [&](const char *name) {
            void *p = dlsym(lib, name);
            if (!p && a.error.empty())
                a.error = std::string("the sentencepiece plugin lacks ") + name;
            return p;
        };
        a.load = reinterpret_cast<decltype(a.load)>(sym("wbspm_load"));
        a.free = reinterpret_cast<decltype(a.free)>(sym("wbspm_free"));
        a.freeBuffer = reinterpret_cast<decltype(a.freeBuffer)>(sym("wbspm_free_buffer"));
        a.pieceSize = reinterpret_cast<decltype(a.pieceSize)>(sym("wbspm_piece_size"));
        a.encodeIds = reinterpret_cast<decltype(a.encodeIds)>(sym("wbspm_encode_ids"));
        a.firstPiece = reinterpret_cast<decltype(a.firstPiece)>(sym("wbspm_first_piece"));
        a.idToPiece = reinterpret_cast<decltype(a.idToPiece)>(sym("wbspm_id_to_piece"));
        a.pieceToId = reinterpret_cast<decltype(a.pieceToId)>(sym("wbspm_piece_to_id"));
        a.specialId = reinterpret_cast<decltype(a.specialId)>(sym("wbspm_special_id"));
        a.isControl = reinterpret_cast<decltype(a.isControl)>(sym("wbspm_is_control"));
        a.isUnknown = reinterpret_cast<decltype(a.isUnknown)>(sym("wbspm_is_unknown"));
    });
    if (!a.error.empty())
        throw Error(ErrorCode::Unsupported, a.error);
    return a;
}

std::string takeString(char *p, size_t len)
{
    if (!p)
        return {};
    std::string s(p, len);
    api().freeBuffer(p);
    return s;
}

} // namespace

std::filesystem::path SpmProcessor::pluginPath()
{
    if (const char *env = std::getenv("WB_SPM_SHIM"); env && *env)
        return env;
#ifdef WB_SPM_SHIM_BUILD_PATH
    if (std::filesystem::exists(WB_SPM_SHIM_BUILD_PATH))
        return WB_SPM_SHIM_BUILD_PATH;
#endif
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        return std::filesystem::path(exe).parent_path() / "libwb_spm_shim.so";
    }
    return "libwb_spm_shim.so";
}

SpmProcessor::SpmProcessor() = default;

SpmProcessor::~SpmProcessor()
{
    if (m_handle)
        api().free(m_handle);
}

void SpmProcessor::load(const std::filesystem::path &modelFile)
{
    char err[512] = {};
    m_handle = api().load(modelFile.c_str(), err, sizeof err);
    if (!m_handle)
        throw Error(ErrorCode::Parse, std::string("tokenizer.model could not be loaded: ") + err,
                    modelFile.string());
    m_file = modelFile;
}

int SpmProcessor::pieceSize() const { return api().pieceSize(m_handle); }

std::vector<int> SpmProcessor::encode(std::string_view text) const
{
    int *ids = nullptr;
    size_t count = 0;
    char err[512] = {};
    if (api().encodeIds(m_handle, text.data(), text.size(), &ids, &count, err, sizeof err) != 0)
        throw Error(ErrorCode::Internal, std::string("sentencepiece failed: ") + err,
                    m_file.string());
    std::vector<int> out(ids, ids + count);
    api().freeBuffer(ids);
    return out;
}

std::string SpmProcessor::firstPiece(std::string_view text) const
{
    size_t len = 0;
    char *p = api().firstPiece(m_handle, text.data(), text.size(), &len);
    return takeString(p, len);
}

std::string SpmProcessor::idToPiece(int id) const
{
    size_t len = 0;
    char *p = api().idToPiece(m_handle, id, &len);
    return takeString(p, len);
}

int SpmProcessor::pieceToId(std::string_view piece) const
{
    return api().pieceToId(m_handle, piece.data(), piece.size());
}

int SpmProcessor::bosId() const { return api().specialId(m_handle, 0); }
int SpmProcessor::eosId() const { return api().specialId(m_handle, 1); }
int SpmProcessor::unkId() const { return api().specialId(m_handle, 2); }
int SpmProcessor::padId() const { return api().specialId(m_handle, 3); }
bool SpmProcessor::isControl(int id) const { return api().isControl(m_handle, id) != 0; }
bool SpmProcessor::isUnknown(int id) const { return api().isUnknown(m_handle, id) != 0; }

} // namespace wb::tok
