#include "tokenizer/bpe_model.h"

#include "common/error.h"
#include "tokenizer/unicode.h"

#include <queue>

#include <nlohmann/json.hpp>

namespace wb::tok {

using nlohmann::json;

namespace {

constexpr size_t kCacheCapacity = 200000;
constexpr size_t kMaxCachedWordBytes = 256;

uint64_t pairKey(int32_t a, int32_t b)
{
    return (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
}

[[noreturn]] void bad(const std::string &what)
{
    throw Error(ErrorCode::Parse, "tokenizer.json: model: " + what);
}

std::optional<std::string> optionalString(const json &j, const char *key)
{
    if (j.contains(key) && j[key].is_string())
        return j[key].get<std::string>();
    return std::nullopt;
}

} // namespace

BpeModel::BpeModel(const json &model)
{
    Vocab vocab = readVocab(model, "model");
    m_vocab = std::move(vocab.ids);
    m_idToToken = std::move(vocab.tokens);

    m_continuingPrefix = optionalString(model, "continuing_subword_prefix").value_or("");
    m_endOfWordSuffix = optionalString(model, "end_of_word_suffix").value_or("");
    m_fuseUnk = model.value("fuse_unk", false);
    m_byteFallback = model.value("byte_fallback", false);
    m_ignoreMerges = model.value("ignore_merges", false);
    if (auto unk = optionalString(model, "unk_token")) {
        const auto it = m_vocab.find(*unk);
        if (it != m_vocab.end())
            m_unkId = it->second;
    }

    const json merges = model.value("merges", json::array());
    if (!merges.is_array())
        bad("'merges' is not a list");
    m_merges.reserve(merges.size());
    int32_t rank = 0;
    for (const json &m : merges) {
        // Both spellings are in the wild: "a b" (older files) and ["a", "b"].
        std::string left, right;
        if (m.is_string()) {
            const std::string s = m.get<std::string>();
            const size_t space = s.find(' ');
            if (space == std::string::npos)
                bad("merge '" + s + "' is not two tokens separated by a space");
            left = s.substr(0, space);
            right = s.substr(space + 1);
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            left = m[0].get<std::string>();
            right = m[1].get<std::string>();
        } else {
            bad("merge " + std::to_string(rank) + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
        const auto a = m_vocab.find(left), b = m_vocab.find(right);
        std::string merged = left + right.substr(
            right.compare(0, m_continuingPrefix.size(), m_continuingPrefix) == 0 ? m_continuingPrefix.size() : 0);
        const auto c = m_vocab.find(merged);
        if (a == m_vocab.end() || b == m_vocab.end() || c == m_vocab.end())
            bad("merge '" + left + " " + right + "' uses a token that is not in the vocabulary");
        // The first occurrence of a pair wins, as in HF.
        m_merges.emplace(pairKey(a->second, b->second), Merge{rank, c->second});
        ++rank;
    }
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const
{
    const auto it = m_vocab.find(std::string(token));
    if (it == m_vocab.end())
        return std::nullopt;
    return it->second;
}

const std::string *BpeModel::idToToken(int32_t id) const
{
    if (id < 0 || size_t(id) >= m_idToToken.size())
        return nullptr;
    return &m_idToToken[size_t(id)];
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t> &out) const
{
    if (word.empty())
        return;
    if (m_ignoreMerges) {
        const auto it = m_vocab.find(std::string(word));
        if (it != m_vocab.end()) {
            out.push_back(it->second);
            return;
        }
    }
    const bool cacheable = word.size() <= kMaxCachedWordBytes;
    std::string key;
    if (cacheable) {
        key.assign(word);
        std::lock_guard lock(m_cacheMutex);
        const auto it = m_cache.find(key);
        if (it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> ids = mergeWord(word);
    out.insert(out.end(), ids.begin(), ids.end());
    if (cacheable) {
        std::lock_guard lock(m_cacheMutex);
        if (m_cache.size() >= kCacheCapacity)
            m_cache.clear(); // crude, but keeps memory bounded on endless unique text
        m_cache.emplace(std::move(key), std::move(ids));
    }
}

std::vector<int32_t> BpeModel::mergeWord(std::string_view word) const
{
    struct Symbol
    {
        int32_t id;
        int32_t prev;
        int32_t next;
        bool alive;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    auto add = [&symbols](int32_t id) {
        const int32_t index = int32_t(symbols.size());
        symbols.push_back({id, index - 1, index + 1, true});
    };

    // Characters to initial symbols (HF's merge_word).
    int32_t pendingUnk = -1; // an unknown token not yet added (HF fuses runs of them)
    size_t pos = 0;
    while (pos < word.size()) {
        const size_t begin = pos;
        char32_t cp = 0;
        unicode::nextCodePoint(word, pos, cp);
        std::string piece(word.substr(begin, pos - begin));
        if (begin > 0 && !m_continuingPrefix.empty())
            piece = m_continuingPrefix + piece;
        if (pos >= word.size() && !m_endOfWordSuffix.empty())
            piece += m_endOfWordSuffix;
        const auto it = m_vocab.find(piece);
        if (it != m_vocab.end()) {
            if (pendingUnk >= 0) {
                add(pendingUnk);
                pendingUnk = -1;
            }
            add(it->second);
            continue;
        }
        if (m_byteFallback) {
            std::vector<int32_t> bytes;
            for (unsigned char b : word.substr(begin, pos - begin)) {
                static const char *hex = "0123456789ABCDEF";
                const std::string name = std::string("<0x") + hex[b >> 4] + hex[b & 15] + ">";
                const auto bt = m_vocab.find(name);
                if (bt == m_vocab.end()) {
                    bytes.clear();
                    break;
                }
                bytes.push_back(bt->second);
            }
            if (!bytes.empty()) {
                // HF leaves a pending unknown token pending here (it lands after the bytes).
                for (int32_t id : bytes)
                    add(id);
                continue;
            }
        }
        if (m_unkId) {
            if (pendingUnk >= 0 && !m_fuseUnk)
                add(pendingUnk);
            pendingUnk = *m_unkId;
        }
        // Without an unknown token the character is dropped, as HF does.
    }
    if (pendingUnk >= 0)
        add(pendingUnk);
    if (symbols.empty())
        return {};
    symbols.back().next = -1;

    struct Candidate
    {
        int32_t rank;
        int32_t pos;
        int32_t newId;
        bool operator>(const Candidate &o) const
        {
            return rank != o.rank ? rank > o.rank : pos > o.pos;
        }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](int32_t left) {
        const int32_t right = symbols[size_t(left)].next;
        if (right < 0)
            return;
        const auto it = m_merges.find(pairKey(symbols[size_t(left)].id, symbols[size_t(right)].id));
        if (it != m_merges.end())
            queue.push({it->second.rank, left, it->second.newId});
    };
    for (int32_t i = 0; i + 1 < int32_t(symbols.size()); ++i)
        consider(i);

    while (!queue.empty()) {
        const Candidate top = queue.top();
        queue.pop();
        Symbol &left = symbols[size_t(top.pos)];
        if (!left.alive || left.next < 0)
            continue;
        Symbol &right = symbols[size_t(left.next)];
        // Skip entries made stale by an earlier merge.
        const auto it = m_merges.find(pairKey(left.id, right.id));
        if (it == m_merges.end() || it->second.newId != top.newId)
            continue;
        left.id = top.newId;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0)
            symbols[size_t(right.next)].prev = top.pos;
        if (left.prev >= 0)
            consider(left.prev);
        consider(top.pos);
    }

    std::vector<int32_t> ids;
    for (const Symbol &s : symbols)
        if (s.alive)
            ids.push_back(s.id);
    return ids;
}

} // namespace wb::tok
