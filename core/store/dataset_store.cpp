#include "store/dataset_store.h"

#include "common/error.h"
#include "common/files.h"
#include "common/sha256.h"
#include "jobs/job.h"
#include "store/workspace.h"

#include <filesystem>

namespace wb {

namespace fs = std::filesystem;

namespace {

const char *extensionFor(FileKind k)
{
    switch (k) {
    case FileKind::Jsonl: return ".jsonl";
    case FileKind::JsonArray: return ".json";
    case FileKind::Csv: return ".csv";
    }
    return ".jsonl";
}

FileKind fileKindFromName(const std::string &s)
{
    if (s == fileKindName(FileKind::JsonArray))
        return FileKind::JsonArray;
    if (s == fileKindName(FileKind::Csv))
        return FileKind::Csv;
    return FileKind::Jsonl;
}

constexpr const char *kVersionColumns =
    "v.id, v.dataset_id, v.version, v.content_hash, v.file_path, v.source_path, v.file_kind, "
    "v.format, v.row_count, v.prompt_count, v.skipped_rows, v.derivation, v.created_at";

DatasetVersionInfo readVersion(Statement &st, int c = 0)
{
    DatasetVersionInfo v;
    v.id = st.int64(c + 0);
    v.datasetId = st.int64(c + 1);
    v.version = static_cast<int>(st.int64(c + 2));
    v.contentHash = st.text(c + 3);
    v.filePath = st.text(c + 4);
    v.sourcePath = st.text(c + 5);
    v.fileKind = fileKindFromName(st.text(c + 6));
    v.format = formatFromName(st.text(c + 7)).value_or(DatasetFormat::Logic);
    v.rowCount = static_cast<size_t>(st.int64(c + 8));
    v.promptCount = static_cast<size_t>(st.int64(c + 9));
    v.skippedRows = static_cast<size_t>(st.int64(c + 10));
    v.derivation = st.text(c + 11);
    v.createdAt = st.text(c + 12);
    return v;
}

size_t countPrompts(DatasetFormat f, const std::vector<DatasetRecord> &records)
{
    size_t n = 0;
    for (const auto &r : records)
        n += promptCount(f, r);
    return n;
}

} // namespace

std::string DatasetStore::uniqueName(const std::string &base)
{
    const std::string stem = base.empty() ? std::string("dataset") : base;
    std::string name = stem;
    for (int i = 2; find(name); ++i)
        name = stem + "-" + std::to_string(i);
    return name;
}

DatasetVersionInfo DatasetStore::insertVersion(const std::string &name,
                                               const std::string &description,
                                               const DatasetVersionInfo &v, bool *createdDataset)
{
    return m_ws.withDb([&](Database &db) {
        DatasetVersionInfo out = v;
        db.transaction([&] {
            const std::string now = nowIso8601();
            auto find = db.prepare("SELECT id FROM datasets WHERE name = ?");
            find.bind(1, name);
            int64_t datasetId;
            if (find.step()) {
                datasetId = find.int64(0);
                db.prepare("UPDATE datasets SET updated_at = ? WHERE id = ?")
                    .bind(1, now)
                    .bind(2, datasetId)
                    .exec();
                if (createdDataset)
                    *createdDataset = false;
            } else {
                db.prepare("INSERT INTO datasets(name, description, created_at, updated_at) "
                           "VALUES(?, ?, ?, ?)")
                    .bind(1, name)
                    .bind(2, description)
                    .bind(3, now)
                    .bind(4, now)
                    .exec();
                datasetId = db.lastInsertId();
                if (createdDataset)
                    *createdDataset = true;
            }
            auto next = db.prepare(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_versions WHERE dataset_id = ?");
            next.bind(1, datasetId);
            next.step();
            out.datasetId = datasetId;
            out.version = static_cast<int>(next.int64(0));
            out.createdAt = now;
            db.prepare("INSERT INTO dataset_versions(dataset_id, version, content_hash, file_path, "
                       "source_path, file_kind, format, row_count, prompt_count, skipped_rows, "
                       "derivation, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)")
                .bind(1, datasetId)
                .bind(2, out.version)
                .bind(3, out.contentHash)
                .bind(4, out.filePath)
                .bind(5, out.sourcePath)
                .bind(6, fileKindName(out.fileKind))
                .bind(7, formatName(out.format))
                .bind(8, static_cast<int64_t>(out.rowCount))
                .bind(9, static_cast<int64_t>(out.promptCount))
                .bind(10, static_cast<int64_t>(out.skippedRows))
                .bind(11, out.derivation)
                .bind(12, out.createdAt)
                .exec();
            out.id = db.lastInsertId();
        });
        return out;
    });
}

DatasetImportResult DatasetStore::importFile(const DatasetImportRequest &request, JobContext *ctx)
{
    DatasetImportResult result;
    const std::string fileName = request.source.filename().string();
    if (ctx)
        ctx->progress(0.05, "reading " + fileName);
    if (fs::is_directory(request.source))
        throw Error(ErrorCode::Io, "this is a folder, not a dataset file", request.source.string());
    const std::string bytes = readFile(request.source);
    const std::string hash = Sha256::hex(bytes);

    // The same bytes imported before: point at what is there instead of duplicating it.
    auto existing = m_ws.withDb([&](Database &db) -> std::optional<std::pair<std::string, DatasetVersionInfo>> {
        auto st = db.prepare(std::string("SELECT d.name, ") + kVersionColumns +
                             " FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                             "WHERE v.content_hash = ? ORDER BY v.id LIMIT 1");
        st.bind(1, hash);
        if (!st.step())
            return std::nullopt;
        return std::make_pair(st.text(0), readVersion(st, 1));
    });
    if (ctx)
        ctx->throwIfCancelled();
    if (ctx)
        ctx->progress(0.2, "validating " + fileName);
    result.parsed = parseDataset(bytes, fileName, request.parse);
    if (existing) {
        result.status = DatasetImportResult::Status::AlreadyPresent;
        result.datasetName = existing->first;
        result.version = existing->second;
        result.message = "this file is already in the workspace as '" + existing->first +
                         "' version " + std::to_string(existing->second.version);
        return result;
    }
    const ParsedDataset &parsed = result.parsed;
    if (parsed.fatal) {
        result.message = "the file cannot be imported: " +
                         (parsed.issues.empty() ? std::string("unreadable")
                                                : parsed.issues.front().message);
        return result;
    }
    if (parsed.records.empty()) {
        result.message = "the file has no valid rows (" + std::to_string(parsed.invalidRows) +
                         " rows with problems)";
        return result;
    }
    if (parsed.invalidRows > 0 && !request.acceptInvalidRows) {
        result.message = std::to_string(parsed.invalidRows) + " of " +
                         std::to_string(parsed.totalRows) +
                         " rows have problems; import only the " +
                         std::to_string(parsed.records.size()) + " valid rows?";
        return result;
    }
    if (ctx)
        ctx->throwIfCancelled();
    if (ctx)
        ctx->progress(0.7, "copying into the workspace");

    DatasetVersionInfo v;
    v.contentHash = hash;
    v.filePath = "datasets/" + hash + extensionFor(parsed.fileKind);
    v.sourcePath = fs::absolute(request.source).string();
    v.fileKind = parsed.fileKind;
    v.format = parsed.format;
    v.rowCount = parsed.records.size();
    v.promptCount = countPrompts(parsed.format, parsed.records);
    v.skippedRows = parsed.invalidRows;

    const fs::path target = m_ws.filesDir() / v.filePath;
    const bool wroteFile = !fs::exists(target);
    if (wroteFile)
        writeFileAtomic(target, bytes);
    const std::string name =
        request.name.empty() ? uniqueName(request.source.stem().string()) : request.name;
    try {
        result.version = insertVersion(name, {}, v, nullptr);
    } catch (...) {
        // Nothing of a failed import may stay behind.
        if (wroteFile)
            fs::remove(target);
        throw;
    }
    result.status = DatasetImportResult::Status::Imported;
    result.datasetName = name;
    result.message = "imported " + std::to_string(v.rowCount) + " rows into '" + name +
                     "' version " + std::to_string(result.version->version);
    if (ctx)
        ctx->progress(1.0, result.message);
    return result;
}

DatasetInfo DatasetStore::addRecords(const std::string &name, DatasetFormat format,
                                     const std::vector<DatasetRecord> &records,
                                     const std::string &description, const std::string &derivation)
{
    const std::string bytes = toJsonl(records);
    const std::string hash = Sha256::hex(bytes);
    if (auto info = find(name); info && info->latest.contentHash == hash)
        return *info;
    DatasetVersionInfo v;
    v.contentHash = hash;
    v.filePath = "datasets/" + hash + ".jsonl";
    v.fileKind = FileKind::Jsonl;
    v.format = format;
    v.rowCount = records.size();
    v.promptCount = countPrompts(format, records);
    v.derivation = derivation;
    const fs::path target = m_ws.filesDir() / v.filePath;
    const bool wroteFile = !fs::exists(target);
    if (wroteFile)
        writeFileAtomic(target, bytes);
    try {
        insertVersion(name, description, v, nullptr);
    } catch (...) {
        if (wroteFile)
            fs::remove(target);
        throw;
    }
    return get(name);
}

std::vector<DatasetInfo> DatasetStore::list()
{
    return m_ws.withDb([&](Database &db) {
        std::vector<DatasetInfo> out;
        auto st = db.prepare(
            std::string("SELECT d.id, d.name, d.description, d.created_at, d.updated_at, "
                        "(SELECT COUNT(*) FROM dataset_versions WHERE dataset_id = d.id), ") +
            kVersionColumns +
            " FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.id AND v.version = "
            "(SELECT MAX(version) FROM dataset_versions WHERE dataset_id = d.id) ORDER BY d.name");
        while (st.step()) {
            DatasetInfo d;
            d.id = st.int64(0);
            d.name = st.text(1);
            d.description = st.text(2);
            d.createdAt = st.text(3);
            d.updatedAt = st.text(4);
            d.versionCount = static_cast<int>(st.int64(5));
            d.latest = readVersion(st, 6);
            out.push_back(std::move(d));
        }
        return out;
    });
}

std::optional<DatasetInfo> DatasetStore::find(const std::string &name)
{
    for (auto &d : list())
        if (d.name == name)
            return d;
    return std::nullopt;
}

DatasetInfo DatasetStore::get(const std::string &name)
{
    auto d = find(name);
    if (!d)
        throw Error(ErrorCode::NotFound, "no dataset named '" + name + "' in this workspace");
    return *d;
}

std::vector<DatasetVersionInfo> DatasetStore::versions(int64_t datasetId)
{
    return m_ws.withDb([&](Database &db) {
        std::vector<DatasetVersionInfo> out;
        auto st = db.prepare(std::string("SELECT ") + kVersionColumns +
                             " FROM dataset_versions v WHERE v.dataset_id = ? ORDER BY v.version");
        st.bind(1, datasetId);
        while (st.step())
            out.push_back(readVersion(st));
        return out;
    });
}

DatasetVersionInfo DatasetStore::version(int64_t versionId)
{
    return m_ws.withDb([&](Database &db) {
        auto st = db.prepare(std::string("SELECT ") + kVersionColumns +
                             " FROM dataset_versions v WHERE v.id = ?");
        st.bind(1, versionId);
        if (!st.step())
            throw Error(ErrorCode::NotFound, "no dataset version " + std::to_string(versionId));
        return readVersion(st);
    });
}

ParsedDataset DatasetStore::load(const DatasetVersionInfo &version)
{
    ParseOptions opts;
    opts.format = version.format;
    opts.fileKind = version.fileKind;
    const fs::path file = m_ws.filesDir() / version.filePath;
    if (!fs::exists(file))
        throw Error(ErrorCode::NotFound,
                    "the workspace copy of this dataset is missing (was files/ edited by hand?)",
                    file.string());
    // Messages name the file the user imported, not its hash-named copy.
    const std::string label = version.sourcePath.empty()
                                  ? "dataset version " + std::to_string(version.version)
                                  : fs::path(version.sourcePath).filename().string();
    return parseDataset(readFile(file), label, opts);
}

std::pair<DatasetInfo, DatasetInfo> DatasetStore::split(const std::string &name,
                                                        double evalFraction, uint64_t seed,
                                                        std::string trainName,
                                                        std::string evalName)
{
    if (!(evalFraction > 0 && evalFraction < 1))
        throw Error(ErrorCode::Validation, "the eval fraction must be between 0 and 1 (exclusive)");
    const DatasetInfo source = get(name);
    const ParsedDataset parsed = load(source.latest);
    if (parsed.records.size() < 2)
        throw Error(ErrorCode::Validation, "a split needs at least two rows", name);
    const DatasetSplit s = splitDataset(parsed.records, evalFraction, seed);
    nlohmann::json how = {{"split_of", name},
                          {"source_version", source.latest.version},
                          {"source_hash", source.latest.contentHash},
                          {"eval_fraction", evalFraction},
                          {"seed", seed}};
    if (trainName.empty())
        trainName = name + "-train";
    if (evalName.empty())
        evalName = name + "-eval";
    how["side"] = "train";
    DatasetInfo train = addRecords(trainName, parsed.format, s.train,
                                   "train side of " + name, how.dump());
    how["side"] = "eval";
    DatasetInfo eval = addRecords(evalName, parsed.format, s.eval, "eval side of " + name,
                                  how.dump());
    return {train, eval};
}

void DatasetStore::rename(const std::string &from, const std::string &to)
{
    if (to.empty())
        throw Error(ErrorCode::Validation, "a dataset name cannot be empty");
    get(from);
    if (find(to))
        throw Error(ErrorCode::Conflict, "a dataset named '" + to + "' already exists");
    m_ws.withDb([&](Database &db) {
        db.prepare("UPDATE datasets SET name = ?, updated_at = ? WHERE name = ?")
            .bind(1, to)
            .bind(2, nowIso8601())
            .bind(3, from)
            .exec();
    });
}

void DatasetStore::remove(const std::string &name)
{
    const DatasetInfo d = get(name);
    // Files are shared by hash between versions and datasets: keep them unless unreferenced.
    std::vector<std::string> files;
    for (const auto &v : versions(d.id))
        files.push_back(v.filePath);
    m_ws.withDb([&](Database &db) {
        db.prepare("DELETE FROM datasets WHERE id = ?").bind(1, d.id).exec();
        for (const auto &f : files) {
            auto st = db.prepare("SELECT COUNT(*) FROM dataset_versions WHERE file_path = ?");
            st.bind(1, f);
            st.step();
            if (st.int64(0) == 0) {
                std::error_code ec;
                fs::remove(m_ws.filesDir() / f, ec);
            }
        }
    });
}

} // namespace wb
