// Truth-tellers and liars: every person makes one statement; statements are drawn until
// exactly one assignment of types (out of 2^n) is consistent with them.

#include "data/demo_internal.h"

#include <set>

namespace wb::demo {

namespace {

using nlohmann::json;

enum class Claim {
    IsLiar,       // target is a liar
    IsTruthful,   // target is a truth-teller
    Same,         // a and b are of the same type
    Different,    // a and b are of different types
    ExactlyLiars, // exactly k of us (all n) are liars
    AtLeastLiars, // at least k of us are liars
    OneOfLiar,    // at least one of a and b is a liar
    Pair,         // a's type is ta and b's type is tb (options only)
};

struct Statement
{
    Claim claim = Claim::IsLiar;
    int a = 0;
    int b = 0;
    int k = 0;
    bool ta = false;
    bool tb = false;
};

struct Ctx
{
    Lang lang = Lang::En;
    int n = 0;
    std::vector<std::string> names;
};

const char *claimKey(Claim c)
{
    switch (c) {
    case Claim::IsLiar:
        return "isLiar";
    case Claim::IsTruthful:
        return "isTruthTeller";
    case Claim::Same:
        return "sameType";
    case Claim::Different:
        return "differentType";
    case Claim::ExactlyLiars:
        return "exactlyLiars";
    case Claim::AtLeastLiars:
        return "atLeastLiars";
    case Claim::OneOfLiar:
        return "atLeastOneLiar";
    default:
        return "pair";
    }
}

bool usesB(Claim c)
{
    return c == Claim::Same || c == Claim::Different || c == Claim::OneOfLiar || c == Claim::Pair;
}

bool usesK(Claim c)
{
    return c == Claim::ExactlyLiars || c == Claim::AtLeastLiars;
}

// Bit i of `truthful` set = person i always tells the truth.
bool holds(const Statement &s, unsigned truthful, int n)
{
    auto t = [&](int i) { return ((truthful >> i) & 1u) != 0; };
    int liars = 0;
    for (int i = 0; i < n; ++i)
        liars += t(i) ? 0 : 1;
    switch (s.claim) {
    case Claim::IsLiar:
        return !t(s.a);
    case Claim::IsTruthful:
        return t(s.a);
    case Claim::Same:
        return t(s.a) == t(s.b);
    case Claim::Different:
        return t(s.a) != t(s.b);
    case Claim::ExactlyLiars:
        return liars == s.k;
    case Claim::AtLeastLiars:
        return liars >= s.k;
    case Claim::OneOfLiar:
        return !t(s.a) || !t(s.b);
    default:
        return t(s.a) == s.ta && t(s.b) == s.tb;
    }
}

// A person's statement is true exactly when they are a truth-teller.
bool consistent(const std::vector<Statement> &said, unsigned truthful, int n)
{
    for (int i = 0; i < n; ++i) {
        if (holds(said[size_t(i)], truthful, n) != (((truthful >> i) & 1u) != 0))
            return false;
    }
    return true;
}

std::string typeEn(bool truthful)
{
    return truthful ? "a truth-teller" : "a liar";
}

std::string typeZh(bool truthful)
{
    return truthful ? "诚实者" : "说谎者";
}

// `quoted`: spoken by an islander ("of us") rather than asked by the narrator ("of them").
std::string render(const Ctx &ctx, const Statement &s, bool quoted)
{
    const std::string a = ctx.names[size_t(s.a)];
    const std::string b = usesB(s.claim) ? ctx.names[size_t(s.b)] : std::string();
    const size_t k = size_t(s.k);
    if (ctx.lang == Lang::En) {
        const std::string group = quoted ? "us" : "them";
        switch (s.claim) {
        case Claim::IsLiar:
            return a + " is a liar";
        case Claim::IsTruthful:
            return a + " is a truth-teller";
        case Claim::Same:
            return a + " and " + b + " are of the same type";
        case Claim::Different:
            return a + " and " + b + " are of different types";
        case Claim::ExactlyLiars:
            if (k == 0)
                return "None of " + group + " is a liar";
            if (int(k) == ctx.n)
                return "All of " + group + " are liars";
            return "Exactly " + enNumber(k) + " of " + group +
                   (k == 1 ? " is a liar" : " are liars");
        case Claim::AtLeastLiars:
            return "At least " + enNumber(k) + " of " + group +
                   (k == 1 ? " is a liar" : " are liars");
        case Claim::OneOfLiar:
            return "At least one of " + a + " and " + b + " is a liar";
        default:
            if (s.ta == s.tb)
                return s.ta ? "Both are truth-tellers" : "Both are liars";
            return a + " is " + typeEn(s.ta) + " and " + b + " is " + typeEn(s.tb);
        }
    }
    const std::string group = quoted ? "我们" : "他们";
    switch (s.claim) {
    case Claim::IsLiar:
        return a + "是说谎者";
    case Claim::IsTruthful:
        return a + "是诚实者";
    case Claim::Same:
        return a + "和" + b + "是同一类人";
    case Claim::Different:
        return a + "和" + b + "不是同一类人";
    case Claim::ExactlyLiars:
        if (k == 0)
            return group + "当中没有说谎者";
        if (int(k) == ctx.n)
            return group + "都是说谎者";
        return group + "当中恰好有" + zhCount(k) + "个说谎者";
    case Claim::AtLeastLiars:
        return group + "当中至少有" + zhCount(k) + "个说谎者";
    case Claim::OneOfLiar:
        return a + "和" + b + "中至少有一人是说谎者";
    default:
        if (s.ta == s.tb)
            return s.ta ? "两人都是诚实者" : "两人都是说谎者";
        return a + "是" + typeZh(s.ta) + "，" + b + "是" + typeZh(s.tb);
    }
}

json toJson(const Ctx &ctx, const Statement &s)
{
    json j = {{"claim", claimKey(s.claim)}};
    if (!usesK(s.claim))
        j["a"] = ctx.names[size_t(s.a)];
    if (usesB(s.claim))
        j["b"] = ctx.names[size_t(s.b)];
    if (usesK(s.claim))
        j["k"] = s.k;
    if (s.claim == Claim::Pair) {
        j["aTruthful"] = s.ta;
        j["bTruthful"] = s.tb;
    }
    return j;
}

Statement fromJson(const Ctx &ctx, const json &j)
{
    Statement s;
    const std::string key = stringField(j, "claim");
    bool known = false;
    for (Claim c : {Claim::IsLiar, Claim::IsTruthful, Claim::Same, Claim::Different,
                    Claim::ExactlyLiars, Claim::AtLeastLiars, Claim::OneOfLiar, Claim::Pair}) {
        if (key == claimKey(c)) {
            s.claim = c;
            known = true;
        }
    }
    if (!known)
        invalid("unknown truth-teller claim '" + key + "'");
    if (!usesK(s.claim))
        s.a = int(indexOf(ctx.names, stringField(j, "a")));
    if (usesB(s.claim)) {
        s.b = int(indexOf(ctx.names, stringField(j, "b")));
        if (s.a == s.b)
            invalid("a truth-teller claim relates '" + ctx.names[size_t(s.a)] + "' to itself");
    }
    if (usesK(s.claim)) {
        s.k = int(intField(j, "k"));
        if (s.k < 0 || s.k > ctx.n)
            invalid("a truth-teller claim counts outside 0.." + std::to_string(ctx.n));
    }
    if (s.claim == Claim::Pair) {
        const json &ta = field(j, "aTruthful"), &tb = field(j, "bTruthful");
        if (!ta.is_boolean() || !tb.is_boolean())
            invalid("a 'pair' claim needs boolean 'aTruthful' and 'bTruthful'");
        s.ta = ta.get<bool>();
        s.tb = tb.get<bool>();
    }
    return s;
}

// A statement by `speaker` about the others (or about the whole group).
Statement randomSaying(Rng &rng, int n, int speaker)
{
    std::vector<int> others;
    for (int i = 0; i < n; ++i) {
        if (i != speaker)
            others.push_back(i);
    }
    Statement s;
    const size_t roll = rng.below(100);
    const auto two = rng.sample(others.size(), 2);
    s.a = others[two[0]];
    s.b = others[two[1]];
    if (roll < 28)
        s.claim = Claim::IsLiar;
    else if (roll < 40)
        s.claim = Claim::IsTruthful;
    else if (roll < 55)
        s.claim = Claim::Same;
    else if (roll < 67)
        s.claim = Claim::Different;
    else if (roll < 80) {
        s.claim = Claim::ExactlyLiars;
        s.k = int(rng.range(1, size_t(n - 1)));
    } else if (roll < 88) {
        s.claim = Claim::AtLeastLiars;
        s.k = int(rng.range(1, size_t(n - 1)));
    } else {
        s.claim = Claim::OneOfLiar;
    }
    if (s.a > s.b && usesB(s.claim))
        std::swap(s.a, s.b);
    return s;
}

std::vector<std::string> pickNames(Rng &rng, Lang lang, int n)
{
    static const std::vector<std::string> en = {"Alice", "Ben",   "Chloe", "David", "Emma",
                                                "Frank", "Grace", "Henry", "Iris",  "Jack"};
    static const std::vector<std::string> zhStems = {"甲", "乙", "丙", "丁"};
    static const std::vector<std::string> zhNames = {"阿强", "阿明", "阿芳",
                                                     "阿丽", "阿华", "阿杰"};
    if (lang == Lang::Zh && rng.chance(1, 2))
        return {zhStems.begin(), zhStems.begin() + n};
    const auto &pool = lang == Lang::En ? en : zhNames;
    auto idx = rng.sample(pool.size(), size_t(n));
    std::sort(idx.begin(), idx.end());
    std::vector<std::string> out;
    for (size_t i : idx)
        out.push_back(pool[i]);
    return out;
}

int countLiars(unsigned truthful, int n)
{
    int liars = 0;
    for (int i = 0; i < n; ++i)
        liars += ((truthful >> i) & 1u) ? 0 : 1;
    return liars;
}

} // namespace

Puzzle generateKnights(Rng &rng, Lang lang)
{
    Ctx ctx;
    ctx.lang = lang;
    ctx.n = rng.chance(2, 3) ? 4 : 3; // three people allow few distinct puzzles
    ctx.names = pickNames(rng, lang, ctx.n);
    const int n = ctx.n;
    const unsigned full = (1u << n) - 1u;

    unsigned hidden = 0;
    std::vector<Statement> said(static_cast<size_t>(n));
    bool found = false;
    for (int world = 0; world < 20 && !found; ++world) {
        hidden = unsigned(rng.below(size_t(full) + 1));
        for (int attempt = 0; attempt < 200 && !found; ++attempt) {
            // Each person says something whose truth matches their hidden type.
            for (int i = 0; i < n; ++i) {
                const bool truthful = ((hidden >> i) & 1u) != 0;
                Statement s;
                do {
                    s = randomSaying(rng, n, i);
                } while (holds(s, hidden, n) != truthful);
                said[size_t(i)] = s;
            }
            int solutions = 0;
            for (unsigned t = 0; t <= full; ++t)
                solutions += consistent(said, t, n) ? 1 : 0;
            found = solutions == 1;
        }
    }
    if (!found)
        throw Redraw{};

    Puzzle puzzle;
    json types = json::object();
    json statements = json::array();
    for (int i = 0; i < n; ++i) {
        types[ctx.names[size_t(i)]] = ((hidden >> i) & 1u) ? "truth-teller" : "liar";
        statements.push_back(
            {{"speaker", ctx.names[size_t(i)]}, {"says", toJson(ctx, said[size_t(i)])}});
    }
    puzzle.world = {{"people", ctx.names}, {"statements", statements}, {"types", types}};

    if (lang == Lang::En) {
        puzzle.problem = "On an island, every inhabitant is either a truth-teller, who always "
                         "tells the truth, or a liar, who always lies. You meet " +
                         enNumber(size_t(n)) + " inhabitants, " + joinEn(ctx.names) +
                         ", and each of them makes one statement.";
        for (int i = 0; i < n; ++i)
            puzzle.problem += "\n" + ctx.names[size_t(i)] + " says: \"" +
                              render(ctx, said[size_t(i)], true) + ".\"";
    } else {
        puzzle.problem = "某岛上的居民分为两类：诚实者总说真话，说谎者总说假话。岛上的" +
                         joinZh(ctx.names) + zhNumber(size_t(n)) + "人各说了一句话：";
        for (int i = 0; i < n; ++i)
            puzzle.problem +=
                "\n" + ctx.names[size_t(i)] + "说：“" + render(ctx, said[size_t(i)], true) + "。”";
    }

    auto choice = [&](const Statement &s) { return Choice{render(ctx, s, false), toJson(ctx, s)}; };
    std::vector<std::string> kinds = {"mustBeTrue", "liarCount", "pairTypes"};
    rng.shuffle(kinds);
    kinds.resize(rng.range(1, 3));
    for (const auto &kind : kinds) {
        if (kind == "mustBeTrue") {
            // Literals "X is a liar/truth-teller": one true, three false.
            std::vector<Statement> yes, no;
            for (int i = 0; i < n; ++i) {
                for (Claim c : {Claim::IsTruthful, Claim::IsLiar}) {
                    Statement s;
                    s.claim = c;
                    s.a = i;
                    (holds(s, hidden, n) ? yes : no).push_back(s);
                }
            }
            rng.shuffle(yes);
            rng.shuffle(no);
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(choice(no[i]));
            puzzle.questions.push_back(
                makeQuestion(rng,
                             lang == Lang::En ? "Which of the following must be true?"
                                              : "根据以上信息，以下哪项一定为真？",
                             {{"kind", kind}}, choice(yes[0]), std::move(wrong)));
        } else if (kind == "liarCount") {
            const int liars = countLiars(hidden, n);
            auto countChoice = [&](int k) {
                Statement s;
                s.claim = Claim::ExactlyLiars;
                s.k = k;
                const std::string text =
                    lang == Lang::En ? std::to_string(k) : std::to_string(k) + "人";
                return Choice{text, toJson(ctx, s)};
            };
            std::vector<int> others;
            for (int k = 0; k <= n; ++k) {
                if (k != liars)
                    others.push_back(k);
            }
            rng.shuffle(others);
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(countChoice(others[i]));
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? "How many of the " + enNumber(size_t(n)) + " are liars?"
                                 : "这" + zhNumber(size_t(n)) + "人中有几个说谎者？",
                {{"kind", kind}}, countChoice(liars), std::move(wrong)));
        } else {
            auto two = rng.sample(size_t(n), 2);
            std::sort(two.begin(), two.end());
            std::vector<Choice> all;
            size_t right = 0;
            for (int combo = 0; combo < 4; ++combo) {
                Statement s;
                s.claim = Claim::Pair;
                s.a = int(two[0]);
                s.b = int(two[1]);
                s.ta = (combo & 1) != 0;
                s.tb = (combo & 2) != 0;
                if (holds(s, hidden, n))
                    right = all.size();
                all.push_back(choice(s));
            }
            Choice correct = all[right];
            all.erase(all.begin() + long(right));
            const std::string &a = ctx.names[two[0]], &b = ctx.names[two[1]];
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? "What are " + a + " and " + b + "?"
                                 : a + "和" + b + "分别是什么人？",
                {{"kind", kind}, {"a", a}, {"b", b}}, std::move(correct), std::move(all)));
        }
    }
    return puzzle;
}

std::vector<size_t> solveKnights(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    Ctx ctx;
    ctx.lang = lang;
    ctx.names = stringList(world, "people");
    ctx.n = int(ctx.names.size());
    if (ctx.n < 2 || ctx.n > 10)
        invalid("a truth-teller puzzle needs 2 to 10 people");
    if (std::set<std::string>(ctx.names.begin(), ctx.names.end()).size() != ctx.names.size())
        invalid("two people in the truth-teller puzzle share a name");
    const int n = ctx.n;

    // Every person speaks exactly once; find each one's statement by name.
    const json &statements = field(world, "statements");
    if (!statements.is_array() || statements.size() != size_t(n))
        invalid("the truth-teller puzzle needs one statement per person");
    std::vector<Statement> said(static_cast<size_t>(n));
    std::vector<bool> spoke(size_t(n), false);
    for (const auto &st : statements) {
        const size_t speaker = indexOf(ctx.names, stringField(st, "speaker"));
        if (spoke[speaker])
            invalid(ctx.names[speaker] + " has two statements");
        spoke[speaker] = true;
        said[speaker] = fromJson(ctx, field(st, "says"));
    }

    std::vector<unsigned> solutions;
    for (unsigned t = 0; t < (1u << n); ++t) {
        if (consistent(said, t, n))
            solutions.push_back(t);
    }
    if (solutions.size() != 1)
        invalid("the statements allow " + std::to_string(solutions.size()) +
                " assignments of truth-tellers and liars, expected exactly one");
    const unsigned truthful = solutions[0];

    if (world.contains("types")) {
        const json &types = world["types"];
        for (int i = 0; i < n; ++i) {
            const std::string stored = stringField(types, ctx.names[size_t(i)].c_str());
            const bool t = ((truthful >> i) & 1u) != 0;
            if (stored != (t ? "truth-teller" : "liar"))
                invalid("the stored type of " + ctx.names[size_t(i)] +
                        " disagrees with the statements");
        }
    }

    const json &metaQuestions = field(meta, "questions");
    std::vector<size_t> answers;
    for (size_t qi = 0; qi < metaQuestions.size(); ++qi) {
        const json &mq = metaQuestions[qi];
        const std::string kind = stringField(mq, "kind");
        if (kind != "mustBeTrue" && kind != "liarCount" && kind != "pairTypes")
            invalid("unknown truth-teller question kind '" + kind + "'");
        const json &opts = field(mq, "options");
        if (!opts.is_array() || opts.size() < 2)
            invalid("question " + std::to_string(qi + 1) + " has too few option statements");
        std::vector<bool> truth;
        std::vector<std::string> texts;
        for (const auto &o : opts) {
            const Statement s = fromJson(ctx, o);
            truth.push_back(holds(s, truthful, n));
            if (kind == "liarCount") {
                if (s.claim != Claim::ExactlyLiars)
                    invalid("question " + std::to_string(qi + 1) + ": an option is not a count");
                texts.push_back(lang == Lang::En ? std::to_string(s.k)
                                                 : std::to_string(s.k) + "人");
            } else {
                texts.push_back(render(ctx, s, false));
            }
        }
        checkOptionTexts(questions[qi], texts, qi);
        answers.push_back(singleTrue(truth, qi));
    }
    return answers;
}

} // namespace wb::demo
