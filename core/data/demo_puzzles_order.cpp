// Ordering puzzles: N people in a hidden line (race finish, heights, seats), clues chosen until
// exactly one permutation satisfies them, then trimmed to a minimal set.

#include "data/demo_internal.h"

#include <array>
#include <cstdlib>
#include <set>

namespace wb::demo {

namespace {

using nlohmann::json;

enum class Scene { Race, Height, Seats };
enum class ClueType { Before, Adjacent, Between, At, NotAt, NotAdjacent };

constexpr int kMaxPeople = 7; // the solver enumerates n! orders; keep it small

struct Clue
{
    ClueType type = ClueType::Before;
    int a = 0;
    int b = 0;
    int k = 0; // 0-based position for At/NotAt, number of people in between for Between
};

struct Ctx
{
    Scene scene = Scene::Race;
    Lang lang = Lang::En;
    int n = 0;
    std::vector<std::string> names;
};

const char *sceneKey(Scene s)
{
    switch (s) {
    case Scene::Race:
        return "race";
    case Scene::Height:
        return "height";
    default:
        return "seats";
    }
}

const char *typeKey(ClueType t)
{
    switch (t) {
    case ClueType::Before:
        return "before";
    case ClueType::Adjacent:
        return "immediatelyBefore";
    case ClueType::Between:
        return "between";
    case ClueType::At:
        return "position";
    case ClueType::NotAt:
        return "notPosition";
    default:
        return "notAdjacent";
    }
}

bool isBinary(ClueType t)
{
    return t != ClueType::At && t != ClueType::NotAt;
}

// pos[person] = place in the line, 0 = first (finished first, tallest, leftmost seat).
bool holds(const Clue &c, const int8_t *pos)
{
    const int d = pos[c.b] - pos[c.a];
    switch (c.type) {
    case ClueType::Before:
        return d > 0;
    case ClueType::Adjacent:
        return d == 1;
    case ClueType::Between:
        return std::abs(d) - 1 == c.k;
    case ClueType::At:
        return pos[c.a] == c.k;
    case ClueType::NotAt:
        return pos[c.a] != c.k;
    default:
        return std::abs(d) != 1;
    }
}

// All n! placements as flat rows of n entries, built once; std::next_permutation's order is
// specified, so this is deterministic too.
const std::vector<int8_t> &placements(int n)
{
    static const std::array<std::vector<int8_t>, kMaxPeople + 1> all = [] {
        std::array<std::vector<int8_t>, kMaxPeople + 1> out;
        for (int m = 1; m <= kMaxPeople; ++m) {
            std::vector<int8_t> order(m);
            for (int i = 0; i < m; ++i)
                order[i] = int8_t(i);
            do {
                std::vector<int8_t> pos(m);
                for (int i = 0; i < m; ++i)
                    pos[order[i]] = int8_t(i);
                out[m].insert(out[m].end(), pos.begin(), pos.end());
            } while (std::next_permutation(order.begin(), order.end()));
        }
        return out;
    }();
    return all[n];
}

bool satisfiesAll(const std::vector<Clue> &clues, const int8_t *pos, size_t skip = SIZE_MAX)
{
    for (size_t i = 0; i < clues.size(); ++i) {
        if (i != skip && !holds(clues[i], pos))
            return false;
    }
    return true;
}

// Number of orders satisfying the clues, stopping early at `limit`.
size_t countOrders(int n, const std::vector<Clue> &clues, size_t skip, size_t limit,
                   const int8_t **found = nullptr)
{
    const auto &table = placements(n);
    size_t count = 0;
    for (size_t off = 0; off < table.size(); off += n) {
        if (satisfiesAll(clues, &table[off], skip)) {
            if (found)
                *found = &table[off];
            if (++count >= limit)
                break;
        }
    }
    return count;
}

std::string name(const Ctx &ctx, int i)
{
    return ctx.names[size_t(i)];
}

std::string renderEn(const Ctx &ctx, const Clue &c)
{
    const std::string a = name(ctx, c.a), b = name(ctx, c.b);
    const bool last = c.k == ctx.n - 1;
    const std::string count = enNumber(size_t(c.k));
    switch (ctx.scene) {
    case Scene::Race:
        switch (c.type) {
        case ClueType::Before:
            return a + " finished ahead of " + b;
        case ClueType::Adjacent:
            return b + " finished right after " + a;
        case ClueType::Between:
            return "Exactly " + count + (c.k == 1 ? " runner" : " runners") + " finished between " +
                   a + " and " + b;
        case ClueType::At:
            return a + " finished " + (last ? "last" : enOrdinal(size_t(c.k + 1)));
        case ClueType::NotAt:
            return a + " did not finish " + (last ? "last" : enOrdinal(size_t(c.k + 1)));
        default:
            return a + " and " + b + " did not finish one right after the other";
        }
    case Scene::Height: {
        const std::string rank = c.k == 0 ? "the tallest"
                                 : last   ? "the shortest"
                                          : "the " + enOrdinal(size_t(c.k + 1)) + " tallest";
        switch (c.type) {
        case ClueType::Before:
            return a + " is taller than " + b;
        case ClueType::Adjacent:
            return a + " is taller than " + b + ", and nobody's height is between theirs";
        case ClueType::Between:
            return c.k == 1 ? "Exactly one person's height lies between " + a + "'s and " + b + "'s"
                            : "Exactly " + count + " people's heights lie between " + a +
                                  "'s and " + b + "'s";
        case ClueType::At:
            return a + " is " + rank;
        case ClueType::NotAt:
            return a + " is not " + rank;
        default:
            return a + " and " + b + " are not next to each other in height order";
        }
    }
    default:
        switch (c.type) {
        case ClueType::Before:
            return a + " sits somewhere to the left of " + b;
        case ClueType::Adjacent:
            return a + " sits immediately to the left of " + b;
        case ClueType::Between:
            return "Exactly " + count + (c.k == 1 ? " person sits" : " people sit") + " between " +
                   a + " and " + b;
        case ClueType::At:
            return a + " sits in seat " + std::to_string(c.k + 1);
        case ClueType::NotAt:
            return a + " does not sit in seat " + std::to_string(c.k + 1);
        default:
            return a + " and " + b + " do not sit next to each other";
        }
    }
}

std::string renderZh(const Ctx &ctx, const Clue &c)
{
    const std::string a = name(ctx, c.a), b = name(ctx, c.b);
    const bool last = c.k == ctx.n - 1;
    const std::string count = zhCount(size_t(c.k));
    const std::string ord = zhNumber(size_t(c.k + 1));
    switch (ctx.scene) {
    case Scene::Race:
        switch (c.type) {
        case ClueType::Before:
            return a + "比" + b + "先到达终点";
        case ClueType::Adjacent:
            return b + "紧接在" + a + "之后到达终点";
        case ClueType::Between:
            return "在" + a + "和" + b + "之间到达终点的恰好有" + count + "人";
        case ClueType::At:
            return last ? a + "最后一个到达终点" : a + "是第" + ord + "个到达终点的";
        case ClueType::NotAt:
            return last ? a + "不是最后一个到达终点的" : a + "不是第" + ord + "个到达终点的";
        default:
            return a + "和" + b + "的名次不相邻";
        }
    case Scene::Height:
        switch (c.type) {
        case ClueType::Before:
            return a + "比" + b + "高";
        case ClueType::Adjacent:
            return a + "比" + b + "高，且没有人的身高介于两人之间";
        case ClueType::Between:
            return "身高介于" + a + "和" + b + "之间的恰好有" + count + "人";
        case ClueType::At:
            return c.k == 0 ? a + "最高" : last ? a + "最矮" : a + "的身高排第" + ord;
        case ClueType::NotAt:
            return c.k == 0 ? a + "不是最高的"
                   : last   ? a + "不是最矮的"
                            : a + "的身高不是排第" + ord;
        default:
            return a + "和" + b + "的身高排名不相邻";
        }
    default:
        switch (c.type) {
        case ClueType::Before:
            return a + "坐在" + b + "的左侧（不一定相邻）";
        case ClueType::Adjacent:
            return a + "紧挨着坐在" + b + "的左边";
        case ClueType::Between:
            return a + "和" + b + "之间恰好隔着" + count + "个人";
        case ClueType::At:
            return a + "坐在" + std::to_string(c.k + 1) + "号座位";
        case ClueType::NotAt:
            return a + "不坐在" + std::to_string(c.k + 1) + "号座位";
        default:
            return a + "和" + b + "不相邻";
        }
    }
}

std::string render(const Ctx &ctx, const Clue &c)
{
    return ctx.lang == Lang::En ? renderEn(ctx, c) : renderZh(ctx, c);
}

std::string positionQuestion(const Ctx &ctx, int k)
{
    const bool last = k == ctx.n - 1;
    if (ctx.lang == Lang::En) {
        switch (ctx.scene) {
        case Scene::Race:
            return std::string("Who finished ") + (last ? "last" : enOrdinal(size_t(k + 1))) + "?";
        case Scene::Height:
            return k == 0 ? "Who is the tallest?"
                   : last ? "Who is the shortest?"
                          : "Who is the " + enOrdinal(size_t(k + 1)) + " tallest?";
        default:
            return "Who sits in seat " + std::to_string(k + 1) + "?";
        }
    }
    switch (ctx.scene) {
    case Scene::Race:
        return last ? "最后一个到达终点的是谁？"
                    : "第" + zhNumber(size_t(k + 1)) + "个到达终点的是谁？";
    case Scene::Height:
        return k == 0 ? "谁最高？"
               : last ? "谁最矮？"
                      : "身高排第" + zhNumber(size_t(k + 1)) + "的是谁？";
    default:
        return "坐在" + std::to_string(k + 1) + "号座位上的是谁？";
    }
}

json toJson(const Ctx &ctx, const Clue &c)
{
    json j = {{"type", typeKey(c.type)}, {"a", name(ctx, c.a)}};
    if (isBinary(c.type))
        j["b"] = name(ctx, c.b);
    if (c.type == ClueType::Between)
        j["count"] = c.k;
    if (!isBinary(c.type))
        j["pos"] = c.k + 1;
    return j;
}

Clue fromJson(const Ctx &ctx, const json &j)
{
    Clue c;
    const std::string type = stringField(j, "type");
    bool known = false;
    for (ClueType t : {ClueType::Before, ClueType::Adjacent, ClueType::Between, ClueType::At,
                       ClueType::NotAt, ClueType::NotAdjacent}) {
        if (type == typeKey(t)) {
            c.type = t;
            known = true;
        }
    }
    if (!known)
        invalid("unknown ordering statement type '" + type + "'");
    c.a = int(indexOf(ctx.names, stringField(j, "a")));
    if (isBinary(c.type)) {
        c.b = int(indexOf(ctx.names, stringField(j, "b")));
        if (c.a == c.b)
            invalid("an ordering statement relates '" + ctx.names[size_t(c.a)] + "' to itself");
    }
    if (c.type == ClueType::Between) {
        c.k = int(intField(j, "count"));
        if (c.k < 0 || c.k > ctx.n - 2)
            invalid("an ordering statement has an impossible 'count'");
    }
    if (!isBinary(c.type)) {
        c.k = int(intField(j, "pos")) - 1;
        if (c.k < 0 || c.k >= ctx.n)
            invalid("an ordering statement has a 'pos' outside 1.." + std::to_string(ctx.n));
    }
    return c;
}

// Any statement, true or false in the hidden order; used for options.
Clue randomStatement(Rng &rng, const Ctx &ctx)
{
    static const ClueType kinds[] = {ClueType::Before, ClueType::Adjacent, ClueType::Between,
                                     ClueType::At,     ClueType::NotAt,    ClueType::NotAdjacent};
    Clue c;
    c.type = kinds[rng.below(6)];
    const auto two = rng.sample(size_t(ctx.n), 2);
    c.a = int(two[0]);
    c.b = int(two[1]);
    if (c.type == ClueType::Between)
        c.k = int(rng.range(1, size_t(ctx.n - 2)));
    else if (!isBinary(c.type))
        c.k = int(rng.below(size_t(ctx.n)));
    return c;
}

// A statement true in the hidden order, weighted toward relational clues (position clues give
// the answer away).
Clue randomClue(Rng &rng, const Ctx &ctx, const std::vector<int> &order, const int8_t *pos,
                bool allowAt)
{
    const int n = ctx.n;
    const size_t roll = rng.below(100);
    Clue c;
    if (roll < 30 || (roll >= 95 && !allowAt)) {
        const auto two = rng.sample(size_t(n), 2);
        c.type = ClueType::Before;
        c.a = int(two[0]);
        c.b = int(two[1]);
        if (pos[c.a] > pos[c.b])
            std::swap(c.a, c.b);
    } else if (roll < 50) {
        const int p = int(rng.below(size_t(n - 1)));
        c.type = ClueType::Adjacent;
        c.a = order[size_t(p)];
        c.b = order[size_t(p + 1)];
    } else if (roll < 65) {
        const int p = int(rng.below(size_t(n - 2)));
        const int q = int(rng.range(size_t(p + 2), size_t(n - 1)));
        c.type = ClueType::Between;
        c.a = order[size_t(p)];
        c.b = order[size_t(q)];
        c.k = q - p - 1;
        if (rng.chance(1, 2))
            std::swap(c.a, c.b);
    } else if (roll < 82) {
        c.type = ClueType::NotAt;
        c.a = int(rng.below(size_t(n)));
        // "not first" and "not last" read most naturally; other places now and then.
        do {
            c.k = rng.chance(2, 3) ? (rng.chance(1, 2) ? 0 : n - 1) : int(rng.below(size_t(n)));
        } while (c.k == pos[c.a]);
    } else if (roll < 95) {
        int p, q;
        do {
            p = int(rng.below(size_t(n)));
            q = int(rng.below(size_t(n)));
        } while (std::abs(p - q) < 2);
        c.type = ClueType::NotAdjacent;
        c.a = order[size_t(p)];
        c.b = order[size_t(q)];
    } else {
        c.type = ClueType::At;
        c.a = int(rng.below(size_t(n)));
        c.k = pos[c.a];
    }
    return c;
}

Choice statementChoice(Rng &rng, const Ctx &ctx, const int8_t *pos, bool wantTrue,
                       std::set<std::string> &used)
{
    for (int attempt = 0; attempt < 2000; ++attempt) {
        const Clue c = randomStatement(rng, ctx);
        if (holds(c, pos) != wantTrue)
            continue;
        std::string text = render(ctx, c);
        if (!used.insert(text).second)
            continue;
        return {std::move(text), toJson(ctx, c)};
    }
    throw Redraw{};
}

std::vector<std::string> pickNames(Rng &rng, Lang lang, int n)
{
    static const std::vector<std::string> en = {"Alice", "Ben",   "Chloe", "David", "Emma", "Frank",
                                                "Grace", "Henry", "Iris",  "Jack",  "Kate", "Leo"};
    static const std::vector<std::string> zhStems = {"甲", "乙", "丙", "丁", "戊", "己", "庚"};
    static const std::vector<std::string> zhNames = {"张明", "李华", "王芳", "赵强",
                                                     "刘洋", "陈静", "杨帆", "周婷"};
    if (lang == Lang::Zh && rng.chance(1, 2))
        return {zhStems.begin(), zhStems.begin() + n};
    const auto &pool = lang == Lang::En ? en : zhNames;
    // Listed in pool order, never in the hidden order, so the listing gives nothing away.
    auto idx = rng.sample(pool.size(), size_t(n));
    std::sort(idx.begin(), idx.end());
    std::vector<std::string> out;
    for (size_t i : idx)
        out.push_back(pool[i]);
    return out;
}

std::string problemText(const Ctx &ctx, const std::vector<Clue> &clues)
{
    std::string text;
    const size_t n = size_t(ctx.n);
    if (ctx.lang == Lang::En) {
        const std::string list = joinEn(ctx.names);
        const std::string count = capitalize(enNumber(n));
        switch (ctx.scene) {
        case Scene::Race:
            text = count + " runners, " + list + ", ran a race. There were no ties.";
            break;
        case Scene::Height:
            text = count + " friends, " + list + ", all have different heights.";
            break;
        default:
            text = count + " people, " + list + ", sit in a row of " + enNumber(n) +
                   " seats numbered 1 to " + std::to_string(n) +
                   " from left to right, one person per seat.";
        }
        text += " The following is known:";
        for (size_t i = 0; i < clues.size(); ++i)
            text += "\n" + std::to_string(i + 1) + ". " + render(ctx, clues[i]) + ".";
        return text;
    }
    const std::string list = joinZh(ctx.names) + zhNumber(n) + "人";
    switch (ctx.scene) {
    case Scene::Race:
        text = list + "参加赛跑，到达终点的先后顺序各不相同（没有并列）。";
        break;
    case Scene::Height:
        text = list + "的身高各不相同。";
        break;
    default:
        text = list + "坐在同一排从左到右编号为1至" + std::to_string(n) + "的" + zhNumber(n) +
               "个座位上，每人坐一个座位。";
    }
    text += "已知：";
    for (size_t i = 0; i < clues.size(); ++i)
        text += "\n（" + std::to_string(i + 1) + "）" + render(ctx, clues[i]) +
                (i + 1 == clues.size() ? "。" : "；");
    return text;
}

} // namespace

Puzzle generateOrdering(Rng &rng, Lang lang)
{
    Ctx ctx;
    ctx.scene = Scene(rng.below(3));
    ctx.lang = lang;
    ctx.n = int(rng.range(4, 6));
    ctx.names = pickNames(rng, lang, ctx.n);

    std::vector<int> order(size_t(ctx.n));
    for (int i = 0; i < ctx.n; ++i)
        order[size_t(i)] = i;
    rng.shuffle(order);
    std::vector<int8_t> pos(size_t(ctx.n));
    for (int i = 0; i < ctx.n; ++i)
        pos[size_t(order[size_t(i)])] = int8_t(i);

    // Add true clues that cut the candidate set until one order is left.
    const auto &table = placements(ctx.n);
    std::vector<size_t> candidates;
    for (size_t off = 0; off < table.size(); off += size_t(ctx.n))
        candidates.push_back(off);
    std::vector<Clue> clues;
    bool usedAt = false;
    for (int attempt = 0; attempt < 400 && candidates.size() > 1; ++attempt) {
        const Clue c = randomClue(rng, ctx, order, pos.data(), !usedAt);
        std::vector<size_t> kept;
        for (size_t off : candidates) {
            if (holds(c, &table[off]))
                kept.push_back(off);
        }
        if (kept.size() < candidates.size()) {
            candidates = std::move(kept);
            clues.push_back(c);
            usedAt = usedAt || c.type == ClueType::At;
        }
    }
    if (candidates.size() != 1)
        throw Redraw{};

    // Drop clues the others already imply: a minimal set reads like a real puzzle.
    std::vector<size_t> tryOrder = rng.sample(clues.size(), clues.size());
    std::vector<bool> dropped(clues.size(), false);
    for (size_t i : tryOrder) {
        std::vector<Clue> rest;
        for (size_t j = 0; j < clues.size(); ++j) {
            if (j != i && !dropped[j])
                rest.push_back(clues[j]);
        }
        if (countOrders(ctx.n, rest, SIZE_MAX, 2) == 1)
            dropped[i] = true;
    }
    std::vector<Clue> minimal;
    for (size_t j = 0; j < clues.size(); ++j) {
        if (!dropped[j])
            minimal.push_back(clues[j]);
    }
    rng.shuffle(minimal);

    Puzzle puzzle;
    puzzle.problem = problemText(ctx, minimal);
    json orderNames = json::array();
    for (int p : order)
        orderNames.push_back(name(ctx, p));
    json clueJson = json::array();
    for (const auto &c : minimal)
        clueJson.push_back(toJson(ctx, c));
    puzzle.world = {{"scene", sceneKey(ctx.scene)},
                    {"people", ctx.names},
                    {"order", orderNames},
                    {"clues", clueJson}};

    std::set<std::string> used;
    for (const auto &c : minimal)
        used.insert(render(ctx, c));
    std::vector<std::string> kinds = {"position", "position", "mustBeTrue", "cannotBeTrue"};
    rng.shuffle(kinds);
    kinds.resize(rng.range(1, 3));
    int firstK = -1;
    for (const auto &kind : kinds) {
        if (kind == "position") {
            int k;
            do {
                k = int(rng.below(size_t(ctx.n)));
            } while (k == firstK);
            firstK = k;
            auto makeChoice = [&](int person) {
                return Choice{name(ctx, person),
                              {{"type", "position"}, {"a", name(ctx, person)}, {"pos", k + 1}}};
            };
            std::vector<Choice> wrong;
            for (size_t i : rng.sample(size_t(ctx.n), size_t(ctx.n))) {
                if (int(i) != order[size_t(k)] && wrong.size() < 3)
                    wrong.push_back(makeChoice(int(i)));
            }
            puzzle.questions.push_back(makeQuestion(rng, positionQuestion(ctx, k),
                                                    {{"kind", "position"}, {"pos", k + 1}},
                                                    makeChoice(order[size_t(k)]), wrong));
            continue;
        }
        const bool mustTrue = kind == "mustBeTrue";
        std::string text;
        if (lang == Lang::En)
            text = mustTrue ? "Which of the following must be true?"
                            : "Which of the following cannot be true?";
        else
            text = mustTrue ? "根据以上信息，以下哪项一定为真？"
                            : "根据以上信息，以下哪项不可能为真？";
        Choice right = statementChoice(rng, ctx, pos.data(), mustTrue, used);
        std::vector<Choice> wrong;
        for (int i = 0; i < 3; ++i)
            wrong.push_back(statementChoice(rng, ctx, pos.data(), !mustTrue, used));
        puzzle.questions.push_back(
            makeQuestion(rng, text, {{"kind", kind}}, std::move(right), std::move(wrong)));
    }
    return puzzle;
}

std::vector<size_t> solveOrdering(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    Ctx ctx;
    ctx.lang = lang;
    const std::string scene = stringField(world, "scene");
    if (scene == "race")
        ctx.scene = Scene::Race;
    else if (scene == "height")
        ctx.scene = Scene::Height;
    else if (scene == "seats")
        ctx.scene = Scene::Seats;
    else
        invalid("unknown ordering scene '" + scene + "'");
    ctx.names = stringList(world, "people");
    ctx.n = int(ctx.names.size());
    if (ctx.n < 3 || ctx.n > kMaxPeople)
        invalid("an ordering puzzle needs 3 to " + std::to_string(kMaxPeople) + " people");
    if (std::set<std::string>(ctx.names.begin(), ctx.names.end()).size() != ctx.names.size())
        invalid("two people in the ordering puzzle share a name");

    std::vector<Clue> clues;
    const json &clueJson = field(world, "clues");
    if (!clueJson.is_array())
        invalid("meta field 'clues' is not a list");
    for (const auto &j : clueJson)
        clues.push_back(fromJson(ctx, j));

    const int8_t *solution = nullptr;
    const size_t count = countOrders(ctx.n, clues, SIZE_MAX, 2, &solution);
    if (count != 1)
        invalid(count == 0 ? "the clues contradict each other: no order satisfies them"
                           : "the clues allow more than one order");

    // The stored order is the generator's claim; the clues are the truth.
    if (world.contains("order")) {
        const auto stored = stringList(world, "order");
        bool same = stored.size() == size_t(ctx.n);
        for (int p = 0; same && p < ctx.n; ++p)
            same = solution[indexOf(ctx.names, stored[size_t(p)])] == p;
        if (!same)
            invalid("the stored order disagrees with the only order the clues allow");
    }

    const json &metaQuestions = field(meta, "questions");
    std::vector<size_t> answers;
    for (size_t qi = 0; qi < metaQuestions.size(); ++qi) {
        const json &mq = metaQuestions[qi];
        const std::string kind = stringField(mq, "kind");
        if (kind != "position" && kind != "mustBeTrue" && kind != "cannotBeTrue")
            invalid("unknown ordering question kind '" + kind + "'");
        const json &opts = field(mq, "options");
        if (!opts.is_array() || opts.size() < 2)
            invalid("question " + std::to_string(qi + 1) + " has too few option statements");
        std::vector<bool> truth;
        std::vector<std::string> texts;
        for (const auto &o : opts) {
            const Clue c = fromJson(ctx, o);
            const bool h = holds(c, solution);
            if (kind == "position") {
                if (c.type != ClueType::At || c.k + 1 != intField(mq, "pos"))
                    invalid("question " + std::to_string(qi + 1) +
                            ": an option is not about the asked position");
                texts.push_back(name(ctx, c.a));
            } else {
                texts.push_back(render(ctx, c));
            }
            truth.push_back(kind == "cannotBeTrue" ? !h : h);
        }
        checkOptionTexts(questions[qi], texts, qi);
        answers.push_back(singleTrue(truth, qi));
    }
    return answers;
}

} // namespace wb::demo
