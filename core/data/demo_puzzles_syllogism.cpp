// Syllogisms under the closed-world assumption: a few residents with stated base categories,
// rules that derive further categories ("all A are B", "anyone both A and B is C", "any A who is
// not B is C"), and the convention that whatever cannot be derived is false.

#include "data/demo_internal.h"

#include <map>
#include <set>

namespace wb::demo {

namespace {

using nlohmann::json;

struct Category
{
    const char *key; // also the English singular
    const char *plural;
    const char *article;
    const char *zh;
};

const std::vector<Category> &categories()
{
    static const std::vector<Category> all = {
        {"painter", "painters", "a", "画家"},
        {"musician", "musicians", "a", "音乐家"},
        {"teacher", "teachers", "a", "教师"},
        {"gardener", "gardeners", "a", "园艺爱好者"},
        {"poet", "poets", "a", "诗人"},
        {"cyclist", "cyclists", "a", "骑行爱好者"},
        {"volunteer", "volunteers", "a", "志愿者"},
        {"vegetarian", "vegetarians", "a", "素食者"},
        {"jogger", "joggers", "a", "慢跑爱好者"},
        {"chess player", "chess players", "a", "棋手"},
        {"baker", "bakers", "a", "面包师"},
        {"swimmer", "swimmers", "a", "游泳爱好者"},
        {"photographer", "photographers", "a", "摄影师"},
        {"engineer", "engineers", "an", "工程师"},
        {"hiker", "hikers", "a", "徒步爱好者"},
    };
    return all;
}

size_t categoryIndex(const std::string &key)
{
    const auto &all = categories();
    for (size_t i = 0; i < all.size(); ++i) {
        if (key == all[i].key)
            return i;
    }
    invalid("unknown category '" + key + "'");
}

enum class RuleType { All, Both, ButNot, No };

struct Rule
{
    RuleType type = RuleType::All;
    size_t a = 0;  // premise category
    size_t b = 0;  // second premise (Both), excluded category (ButNot), other side (No)
    size_t to = 0; // conclusion (not used by No)
};

struct World
{
    Lang lang = Lang::En;
    std::vector<std::string> people;
    std::vector<std::pair<size_t, size_t>> facts; // (person, category)
    std::vector<Rule> rules;
};

using Members = std::map<size_t, std::set<size_t>>; // category -> people

// Base facts, then forward chaining to a fixed point. "ButNot" may only exclude categories no
// rule concludes, so their extent is known from the facts alone and the chaining stays
// monotone: this is what makes the closed-world reading well-defined.
Members derive(const World &w)
{
    std::set<size_t> concluded;
    for (const auto &r : w.rules) {
        if (r.type != RuleType::No)
            concluded.insert(r.to);
    }
    for (const auto &r : w.rules) {
        if (r.type == RuleType::ButNot && concluded.count(r.b))
            invalid(std::string("a rule excludes '") + categories()[r.b].key +
                    "', which other rules conclude: the closed world would be ambiguous");
    }
    Members m;
    for (const auto &[person, cat] : w.facts)
        m[cat].insert(person);
    const std::set<size_t> none;
    auto in = [&](size_t cat) -> const std::set<size_t> & {
        auto it = m.find(cat);
        return it == m.end() ? none : it->second;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto &r : w.rules) {
            if (r.type == RuleType::No)
                continue;
            for (size_t p = 0; p < w.people.size(); ++p) {
                bool fires = in(r.a).count(p) > 0;
                if (r.type == RuleType::Both)
                    fires = fires && in(r.b).count(p) > 0;
                if (r.type == RuleType::ButNot)
                    fires = fires && in(r.b).count(p) == 0;
                if (fires && m[r.to].insert(p).second)
                    changed = true;
            }
        }
    }
    for (const auto &r : w.rules) {
        if (r.type != RuleType::No)
            continue;
        for (size_t p : in(r.a)) {
            if (in(r.b).count(p))
                invalid(w.people[p] + " is both " + categories()[r.a].key + " and " +
                        categories()[r.b].key + ", which a 'no' rule forbids");
        }
    }
    return m;
}

bool member(const Members &m, size_t cat, size_t person)
{
    auto it = m.find(cat);
    return it != m.end() && it->second.count(person) > 0;
}

std::string withArticle(size_t cat)
{
    return std::string(categories()[cat].article) + " " + categories()[cat].key;
}

std::string zhName(size_t cat)
{
    return categories()[cat].zh;
}

std::string renderRule(Lang lang, const Rule &r)
{
    const auto &c = categories();
    if (lang == Lang::En) {
        switch (r.type) {
        case RuleType::All:
            return std::string("All ") + c[r.a].plural + " are " + c[r.to].plural + ".";
        case RuleType::Both:
            return "Anyone who is both " + withArticle(r.a) + " and " + withArticle(r.b) + " is " +
                   withArticle(r.to) + ".";
        case RuleType::ButNot:
            return std::string("Any ") + c[r.a].key + " who is not " + withArticle(r.b) + " is " +
                   withArticle(r.to) + ".";
        default:
            return std::string("No ") + c[r.a].key + " is " + withArticle(r.b) + ".";
        }
    }
    switch (r.type) {
    case RuleType::All:
        return "所有的" + zhName(r.a) + "都是" + zhName(r.to);
    case RuleType::Both:
        return "既是" + zhName(r.a) + "又是" + zhName(r.b) + "的人都是" + zhName(r.to);
    case RuleType::ButNot:
        return "是" + zhName(r.a) + "但不是" + zhName(r.b) + "的人都是" + zhName(r.to);
    default:
        return "没有一个" + zhName(r.a) + "是" + zhName(r.b);
    }
}

// Statements used as options: membership literals, "which category" and counts.
std::string literalText(const World &w, size_t person, size_t cat, bool positive)
{
    if (w.lang == Lang::En)
        return w.people[person] + (positive ? " is " : " is not ") + withArticle(cat);
    return w.people[person] + (positive ? "是" : "不是") + zhName(cat);
}

json literalJson(const World &w, size_t person, size_t cat, bool positive)
{
    return {{"type", "member"},
            {"x", w.people[person]},
            {"category", categories()[cat].key},
            {"positive", positive}};
}

std::vector<std::string> pickNames(Rng &rng, Lang lang, size_t n)
{
    static const std::vector<std::string> en = {"Tom",  "Lily", "Sam",  "Nora",
                                                "Omar", "Ruth", "Paul", "Mia"};
    static const std::vector<std::string> zh = {"老张", "小李", "老王", "小赵",
                                                "老刘", "小陈", "老周", "小吴"};
    const auto &pool = lang == Lang::En ? en : zh;
    auto idx = rng.sample(pool.size(), n);
    std::sort(idx.begin(), idx.end());
    std::vector<std::string> out;
    for (size_t i : idx)
        out.push_back(pool[i]);
    return out;
}

std::string problemText(const World &w)
{
    // Facts are grouped per person when shown; the meta keeps them one per entry.
    std::vector<std::string> lines;
    for (const auto &r : w.rules)
        lines.push_back(renderRule(w.lang, r));
    for (size_t p = 0; p < w.people.size(); ++p) {
        std::vector<size_t> cats;
        for (const auto &[person, cat] : w.facts) {
            if (person == p)
                cats.push_back(cat);
        }
        if (cats.empty())
            continue;
        if (w.lang == Lang::En) {
            std::vector<std::string> parts;
            for (size_t c : cats)
                parts.push_back(withArticle(c));
            lines.push_back(w.people[p] + " is " + joinEn(parts) + ".");
        } else {
            std::string line = w.people[p] + "是" + zhName(cats[0]);
            for (size_t i = 1; i < cats.size(); ++i)
                line += "，也是" + zhName(cats[i]);
            lines.push_back(line);
        }
    }
    std::string text;
    if (w.lang == Lang::En) {
        text = "The following is known about " + enNumber(w.people.size()) +
               " residents of a village, " + joinEn(w.people) + ":";
        for (size_t i = 0; i < lines.size(); ++i)
            text += "\n" + std::to_string(i + 1) + ". " + lines[i];
        text += "\nAnything not stated or derivable from these facts is false.";
    } else {
        text = "关于某村的" + zhNumber(w.people.size()) + "位村民" + joinZh(w.people) + "，已知：";
        for (size_t i = 0; i < lines.size(); ++i)
            text += "\n（" + std::to_string(i + 1) + "）" + lines[i] +
                    (i + 1 == lines.size() ? "。" : "；");
        text += "\n未提及的事实均视为不成立，即凡不能由以上条件推出的都视为假。";
    }
    return text;
}

} // namespace

Puzzle generateSyllogism(Rng &rng, Lang lang)
{
    World w;
    w.lang = lang;
    w.people = pickNames(rng, lang, rng.range(3, 4));
    const size_t np = w.people.size();

    // Six categories in a random sequence: the first three are base (stated facts only), the
    // rest are concluded by rules whose premises come earlier, so there are no cycles.
    const auto seq = rng.sample(categories().size(), 6);
    const size_t nBase = 3;
    for (size_t d = nBase; d < seq.size(); ++d) {
        const size_t ruleCount = rng.chance(1, 3) ? 2 : 1;
        for (size_t r = 0; r < ruleCount; ++r) {
            Rule rule;
            rule.to = seq[d];
            const auto pair = rng.sample(d, 2);
            rule.a = seq[pair[0]];
            const size_t roll = rng.below(100);
            if (roll < 45) {
                rule.type = RuleType::All;
            } else if (roll < 70) {
                rule.type = RuleType::Both;
                rule.b = seq[pair[1]];
            } else {
                rule.type = RuleType::ButNot;
                rule.b = seq[rng.below(nBase)];
                if (rule.b == rule.a)
                    rule.type = RuleType::All;
            }
            // A second route to the same conclusion must not share a premise with the first,
            // or one of them says nothing new ("all poets are X" and "poets who hike are X").
            if (r == 1) {
                const Rule &first = w.rules.back();
                auto premises = [](const Rule &x) {
                    std::set<size_t> p = {x.a};
                    if (x.type == RuleType::Both)
                        p.insert(x.b);
                    return p;
                };
                const auto p1 = premises(first), p2 = premises(rule);
                bool shared = false;
                for (size_t c : p2)
                    shared = shared || p1.count(c) > 0;
                if (shared)
                    continue;
            }
            w.rules.push_back(rule);
        }
    }
    for (size_t p = 0; p < np; ++p) {
        for (size_t c : rng.sample(nBase, rng.range(1, 2)))
            w.facts.push_back({p, seq[c]});
    }
    std::sort(w.facts.begin(), w.facts.end());
    Members m = derive(w);

    // One "no" rule now and then, true in the derived world, as a reader's red herring.
    if (rng.chance(1, 2)) {
        std::vector<std::pair<size_t, size_t>> disjoint;
        for (size_t i = 0; i < seq.size(); ++i) {
            for (size_t j = 0; j < seq.size(); ++j) {
                if (i == j || m[seq[i]].empty() || m[seq[j]].empty())
                    continue;
                bool overlap = false;
                for (size_t p : m[seq[i]])
                    overlap = overlap || m[seq[j]].count(p) > 0;
                if (!overlap)
                    disjoint.push_back({seq[i], seq[j]});
            }
        }
        if (!disjoint.empty()) {
            const auto [a, b] = rng.pick(disjoint);
            w.rules.push_back({RuleType::No, a, b, 0});
        }
    }
    rng.shuffle(w.rules);

    // Derived categories should matter: at least one resident must gain one.
    size_t derivedMemberships = 0;
    for (size_t d = nBase; d < seq.size(); ++d)
        derivedMemberships += m[seq[d]].size();
    if (derivedMemberships == 0)
        throw Redraw{};

    Puzzle puzzle;
    puzzle.problem = problemText(w);
    json facts = json::array(), rules = json::array(), members = json::object();
    for (const auto &[p, c] : w.facts)
        facts.push_back({{"x", w.people[p]}, {"category", categories()[c].key}});
    for (const auto &r : w.rules) {
        static const char *names[] = {"all", "both", "butNot", "no"};
        json j = {{"type", names[int(r.type)]}, {"a", categories()[r.a].key}};
        if (r.type != RuleType::All)
            j["b"] = categories()[r.b].key;
        if (r.type != RuleType::No)
            j["to"] = categories()[r.to].key;
        rules.push_back(j);
    }
    json cats = json::array();
    for (size_t c : seq) {
        cats.push_back(categories()[c].key);
        json list = json::array();
        for (size_t p : m[c])
            list.push_back(w.people[p]);
        members[categories()[c].key] = list;
    }
    puzzle.world = {{"people", w.people},
                    {"categories", cats},
                    {"facts", facts},
                    {"rules", rules},
                    {"members", members}};

    // Literals about derived categories are the interesting ones; base ones pad the pool.
    std::vector<std::pair<Choice, bool>> derivedLits, baseLits;
    for (size_t i = 0; i < seq.size(); ++i) {
        for (size_t p = 0; p < np; ++p) {
            for (bool positive : {true, false}) {
                const bool truth = member(m, seq[i], p) == positive;
                auto &pool = i >= nBase ? derivedLits : baseLits;
                pool.push_back({Choice{literalText(w, p, seq[i], positive),
                                       literalJson(w, p, seq[i], positive)},
                                truth});
            }
        }
    }
    rng.shuffle(derivedLits);
    rng.shuffle(baseLits);

    std::vector<std::string> kinds = {"mustBeTrue", "whichCategory", "count", "whoIs"};
    rng.shuffle(kinds);
    const size_t wanted = rng.range(1, 3);
    for (const auto &kind : kinds) {
        if (puzzle.questions.size() == wanted)
            break;
        if (kind == "mustBeTrue") {
            // At most one literal per (resident, category): offering both "X is a C" and "X
            // is not a C" would give the answer away by elimination.
            std::vector<Choice> right, wrong;
            std::set<std::string> about;
            auto key = [](const Choice &c) {
                return c.statement["x"].get<std::string>() + "|" +
                       c.statement["category"].get<std::string>();
            };
            for (const auto &[c, truth] : derivedLits) {
                if (truth && about.insert(key(c)).second) {
                    right.push_back(c);
                    break;
                }
            }
            for (auto *pool : {&derivedLits, &baseLits}) {
                for (const auto &[c, truth] : *pool) {
                    if (!truth && wrong.size() < 3 && about.insert(key(c)).second)
                        wrong.push_back(c);
                }
            }
            if (right.empty() || wrong.size() < 3)
                continue;
            puzzle.questions.push_back(makeQuestion(rng,
                                                    lang == Lang::En
                                                        ? "Which of the following is true?"
                                                        : "根据以上信息，以下哪项为真？",
                                                    {{"kind", kind}}, right[0], std::move(wrong)));
        } else if (kind == "whichCategory") {
            // Ask about a resident who gained a derived category; a stated one is no puzzle.
            const auto isDerived = [&](size_t c) {
                return std::find(seq.begin() + long(nBase), seq.end(), c) != seq.end();
            };
            size_t p = np, answer = 0;
            std::vector<size_t> out;
            for (size_t cand : rng.sample(np, np)) {
                std::vector<size_t> in, notIn;
                for (size_t c : seq)
                    (member(m, c, cand) ? in : notIn).push_back(c);
                rng.shuffle(in);
                for (size_t c : in) {
                    if (isDerived(c) && notIn.size() >= 3 && p == np) {
                        p = cand;
                        answer = c;
                        out = notIn;
                    }
                }
            }
            if (p == np)
                continue;
            rng.shuffle(out);
            auto choice = [&](size_t c) {
                return Choice{lang == Lang::En ? withArticle(c) : zhName(c),
                              literalJson(w, p, c, true)};
            };
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(choice(out[i]));
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En
                    ? "Based on the facts, " + w.people[p] + " is which of the following?"
                    : w.people[p] + "是以下哪一种人？",
                {{"kind", kind}, {"x", w.people[p]}}, choice(answer), std::move(wrong)));
        } else if (kind == "count") {
            const size_t c = seq[rng.range(nBase, seq.size() - 1)];
            const size_t k = m[c].size();
            std::vector<size_t> others;
            for (size_t i = 0; i <= np; ++i) {
                if (i != k)
                    others.push_back(i);
            }
            rng.shuffle(others);
            auto choice = [&](size_t i) {
                return Choice{lang == Lang::En ? std::to_string(i) : std::to_string(i) + "位",
                              {{"type", "count"}, {"category", categories()[c].key}, {"k", i}}};
            };
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(choice(others[i]));
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? "How many of the " + enNumber(np) + " residents are " +
                                       categories()[c].plural + "?"
                                 : "这" + zhNumber(np) + "位村民中有几位是" + zhName(c) + "？",
                {{"kind", kind}, {"category", categories()[c].key}}, choice(k), std::move(wrong)));
        } else {
            // Needs four residents: one who is in the category and three who are not.
            if (np < 4)
                continue;
            std::vector<size_t> options;
            for (size_t i = nBase; i < seq.size(); ++i) {
                if (m[seq[i]].size() == 1)
                    options.push_back(seq[i]);
            }
            if (options.empty())
                continue;
            const size_t c = rng.pick(options);
            auto choice = [&](size_t p) { return Choice{w.people[p], literalJson(w, p, c, true)}; };
            std::vector<Choice> wrong;
            for (size_t p = 0; p < np; ++p) {
                if (!member(m, c, p))
                    wrong.push_back(choice(p));
            }
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? "Which of the following residents is " + withArticle(c) + "?"
                                 : "以下哪位村民是" + zhName(c) + "？",
                {{"kind", kind}, {"category", categories()[c].key}}, choice(*m[c].begin()),
                std::move(wrong)));
        }
    }
    if (puzzle.questions.empty())
        throw Redraw{};
    return puzzle;
}

std::vector<size_t> solveSyllogism(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    World w;
    w.lang = lang;
    w.people = stringList(world, "people");
    if (w.people.empty() ||
        std::set<std::string>(w.people.begin(), w.people.end()).size() != w.people.size())
        invalid("the syllogism puzzle needs residents with distinct names");
    const json &facts = field(world, "facts");
    const json &rules = field(world, "rules");
    if (!facts.is_array() || !rules.is_array())
        invalid("meta fields 'facts' and 'rules' must be lists");
    for (const auto &f : facts)
        w.facts.push_back(
            {indexOf(w.people, stringField(f, "x")), categoryIndex(stringField(f, "category"))});
    for (const auto &j : rules) {
        Rule r;
        const std::string type = stringField(j, "type");
        if (type == "all")
            r.type = RuleType::All;
        else if (type == "both")
            r.type = RuleType::Both;
        else if (type == "butNot")
            r.type = RuleType::ButNot;
        else if (type == "no")
            r.type = RuleType::No;
        else
            invalid("unknown rule type '" + type + "'");
        r.a = categoryIndex(stringField(j, "a"));
        if (r.type != RuleType::All)
            r.b = categoryIndex(stringField(j, "b"));
        if (r.type != RuleType::No)
            r.to = categoryIndex(stringField(j, "to"));
        w.rules.push_back(r);
    }
    const Members m = derive(w);

    if (world.contains("members")) {
        for (const auto &[key, list] : world["members"].items()) {
            const size_t c = categoryIndex(key);
            std::set<size_t> stored;
            for (const auto &x : list)
                stored.insert(indexOf(w.people, x.get<std::string>()));
            auto it = m.find(c);
            if (stored != (it == m.end() ? std::set<size_t>{} : it->second))
                invalid("the stored members of '" + key + "' disagree with the facts and rules");
        }
    }

    const json &metaQuestions = field(meta, "questions");
    std::vector<size_t> answers;
    for (size_t qi = 0; qi < metaQuestions.size(); ++qi) {
        const json &mq = metaQuestions[qi];
        const std::string kind = stringField(mq, "kind");
        if (kind != "mustBeTrue" && kind != "whichCategory" && kind != "count" && kind != "whoIs")
            invalid("unknown syllogism question kind '" + kind + "'");
        const json &opts = field(mq, "options");
        if (!opts.is_array() || opts.size() < 2)
            invalid("question " + std::to_string(qi + 1) + " has too few option statements");
        std::vector<bool> truth;
        std::vector<std::string> texts;
        for (const auto &o : opts) {
            const std::string type = stringField(o, "type");
            const size_t c = categoryIndex(stringField(o, "category"));
            if (type == "count") {
                const long long k = intField(o, "k");
                auto it = m.find(c);
                truth.push_back(k == (long long)(it == m.end() ? 0 : it->second.size()));
                texts.push_back(lang == Lang::En ? std::to_string(k) : std::to_string(k) + "位");
                continue;
            }
            if (type != "member")
                invalid("unknown syllogism statement type '" + type + "'");
            const size_t p = indexOf(w.people, stringField(o, "x"));
            const json &pos = field(o, "positive");
            if (!pos.is_boolean())
                invalid("meta field 'positive' is not a boolean");
            const bool positive = pos.get<bool>();
            truth.push_back(member(m, c, p) == positive);
            if (kind == "whichCategory")
                texts.push_back(lang == Lang::En ? withArticle(c) : zhName(c));
            else if (kind == "whoIs")
                texts.push_back(w.people[p]);
            else
                texts.push_back(literalText(w, p, c, positive));
        }
        checkOptionTexts(questions[qi], texts, qi);
        answers.push_back(singleTrue(truth, qi));
    }
    return answers;
}

} // namespace wb::demo
