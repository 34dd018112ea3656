#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wb::tok {

// libsentencepiece, reached through the spm_shim plugin (see spm_shim/spm_shim.cpp for why it
// is not linked directly). The method names follow sentencepiece::SentencePieceProcessor.
class SpmProcessor final
{
public:
    SpmProcessor();
    ~SpmProcessor();
    SpmProcessor(const SpmProcessor &) = delete;
    SpmProcessor &operator=(const SpmProcessor &) = delete;

    // Throws wb::Error(Parse) naming the file when sentencepiece cannot load it, and
    // wb::Error(Unsupported) when the plugin itself cannot be found.
    void load(const std::filesystem::path &modelFile);
    int pieceSize() const;
    std::vector<int> encode(std::string_view text) const;
    std::string firstPiece(std::string_view text) const;
    std::string idToPiece(int id) const;
    int pieceToId(std::string_view piece) const;
    int bosId() const;
    int eosId() const;
    int unkId() const;
    int padId() const;
    bool isControl(int id) const;
    bool isUnknown(int id) const;

    // Where the plugin is looked for: $WB_SPM_SHIM, then the build tree, then beside the
    // executable.
    static std::filesystem::path pluginPath();

private:
    void *m_handle = nullptr;
    std::filesystem::path m_file;
};

} // namespace wb::tok
