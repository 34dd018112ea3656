#pragma once

#include "data/dataset.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb {

class Workspace;
class JobContext;

struct DatasetVersionInfo
{
    int64_t id = 0;
    int64_t datasetId = 0;
    int version = 0;
    std::string contentHash;
    std::string filePath;   // relative to the workspace's files/ folder
    std::string sourcePath; // where it was imported from ('' for derived versions)
    FileKind fileKind = FileKind::Jsonl;
    DatasetFormat format = DatasetFormat::Logic;
    size_t rowCount = 0;
    size_t promptCount = 0;
    size_t skippedRows = 0;
    std::string derivation; // JSON describing a split; '' for imports
    std::string createdAt;
};

struct DatasetInfo
{
    int64_t id = 0;
    std::string name;
    std::string description;
    std::string createdAt;
    std::string updatedAt;
    DatasetVersionInfo latest;
    int versionCount = 0;
};

struct DatasetImportRequest
{
    std::filesystem::path source;
    std::string name;                   // '' → the file's stem, made unique
    ParseOptions parse;                 // format override etc.
    bool acceptInvalidRows = false;     // import the valid rows when some rows are invalid
};

struct DatasetImportResult
{
    enum class Status {
        Imported,       // a new dataset or a new version of one
        AlreadyPresent, // this exact content is already in the workspace
        Rejected,       // nothing written; see parsed.issues and message
    };
    Status status = Status::Rejected;
    std::string message;
    ParsedDataset parsed;
    std::optional<DatasetVersionInfo> version;
    std::string datasetName;
};

// The workspace's datasets. Files are copied in under files/datasets/<sha256>.<ext>, so a
// later edit of the source never changes what a recorded experiment used.
class DatasetStore final
{
public:
    explicit DatasetStore(Workspace &ws) : m_ws(ws) {}

    // Validates then imports. A rejected or failed import changes nothing in the workspace.
    // The context (optional) receives progress and is checked for cancellation.
    DatasetImportResult importFile(const DatasetImportRequest &request, JobContext *ctx = nullptr);

    std::vector<DatasetInfo> list();
    std::optional<DatasetInfo> find(const std::string &name);
    DatasetInfo get(const std::string &name); // throws NotFound naming it
    std::vector<DatasetVersionInfo> versions(int64_t datasetId);
    DatasetVersionInfo version(int64_t versionId);

    // The valid records of a version (re-read from its immutable file).
    ParsedDataset load(const DatasetVersionInfo &version);

    // Writes the two sides of a deterministic split as new datasets "<name>-train" and
    // "<name>-eval" (or the given names); returns their infos.
    std::pair<DatasetInfo, DatasetInfo> split(const std::string &name, double evalFraction,
                                              uint64_t seed, std::string trainName = {},
                                              std::string evalName = {});

    // Stores in-memory records (the demo, derived data) as a new dataset or version.
    DatasetInfo addRecords(const std::string &name, DatasetFormat format,
                           const std::vector<DatasetRecord> &records,
                           const std::string &description = {}, const std::string &derivation = {});

    void rename(const std::string &from, const std::string &to);
    void remove(const std::string &name);

    std::string uniqueName(const std::string &base);

private:
    DatasetVersionInfo insertVersion(const std::string &name, const std::string &description,
                                     const DatasetVersionInfo &v, bool *createdDataset);
    Workspace &m_ws;
};

} // namespace wb
