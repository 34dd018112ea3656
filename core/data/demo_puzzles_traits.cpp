// Two true-or-false families over people and traits; the options are always True, False in
// that order (对, 错).
// - Traits: stated facts ("Ben is brave") and one-step rules ("everyone who is brave is also
//   kind") under the closed-world assumption. A question needs one lookup, or one lookup and
//   one rule, where the other families need a search over possible worlds.
// - Negation: one fact, possibly negated ("Ben is not brave"), and the same statement asked in
//   four forms with zero to two negations ("it is not the case that Ben is not brave").
//   The answer is the parity of the negations: the one family a model of the demo model's size
//   learns in a short LoRA run (README, "The demo model").

#include "data/demo_internal.h"

#include <set>

namespace wb::demo {

namespace {

using nlohmann::json;

struct Trait
{
    const char *key; // the English adjective
    const char *zh;
};

const std::vector<Trait> &traits()
{
    static const std::vector<Trait> all = {
        {"tall", "高"},     {"kind", "善良"},   {"quiet", "安静"},  {"brave", "勇敢"},
        {"clever", "聪明"}, {"strong", "强壮"}, {"calm", "冷静"},   {"cheerful", "开朗"},
        {"honest", "诚实"}, {"patient", "耐心"},
    };
    return all;
}

size_t traitIndex(const std::string &key)
{
    for (size_t i = 0; i < traits().size(); ++i) {
        if (key == traits()[i].key)
            return i;
    }
    invalid("unknown trait '" + key + "'");
}

struct World
{
    std::vector<std::string> people;
    std::vector<std::pair<size_t, size_t>> facts; // (person, trait)
    std::vector<std::pair<size_t, size_t>> rules; // (if trait, then trait)
};

// Everything the facts and rules give, to a fixpoint (the closed world: nothing else holds).
std::set<std::pair<size_t, size_t>> closure(const World &w)
{
    std::set<std::pair<size_t, size_t>> holds(w.facts.begin(), w.facts.end());
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t p = 0; p < w.people.size(); ++p)
            for (const auto &[from, to] : w.rules)
                if (holds.count({p, from}) && holds.insert({p, to}).second)
                    changed = true;
    }
    return holds;
}

std::vector<std::string> optionTexts(Lang lang)
{
    if (lang == Lang::En)
        return {"True", "False"};
    return {"对", "错"};
}

std::string statement(Lang lang, const std::string &person, size_t trait)
{
    if (lang == Lang::En)
        return person + " is " + traits()[trait].key + ".";
    return person + "很" + traits()[trait].zh + "。";
}

std::string questionText(Lang lang, const std::string &person, size_t trait)
{
    if (lang == Lang::En)
        return "Is the following statement true or false? " + statement(lang, person, trait);
    return "下面的说法是对还是错？" + statement(lang, person, trait);
}

std::vector<std::string> pickPeople(Rng &rng, Lang lang, size_t n)
{
    static const std::vector<std::string> en = {"Alice", "Ben",   "Chloe", "David",
                                                "Emma",  "Frank", "Grace", "Henry"};
    static const std::vector<std::string> zh = {"小明", "小红", "小刚", "小丽",
                                                "小华", "小军", "小芳", "小强"};
    const auto &pool = lang == Lang::En ? en : zh;
    std::vector<std::string> out;
    for (size_t i : rng.sample(pool.size(), n))
        out.push_back(pool[i]);
    return out;
}

// The negation family's four ways of stating "person is (not) trait": the plain clause or its
// negation, optionally inside "it is not the case that ...". Each part is one negation; the
// form's name lists its parts, outermost first.
struct Form
{
    bool notTheCase = false;
    bool innerNot = false;

    int negations() const { return int(notTheCase) + int(innerNot); }

    std::string name() const
    {
        return std::string(notTheCase ? "not-the-case+" : "") + (innerNot ? "not" : "plain");
    }
};

std::vector<Form> allForms()
{
    return {{false, false}, {false, true}, {true, false}, {true, true}};
}

Form formFromName(const std::string &name)
{
    for (const Form &f : allForms())
        if (name == f.name())
            return f;
    invalid("unknown negation form '" + name + "'");
}

// "Ben is brave" / "Ben is not brave" (小明很勇敢 / 小明不勇敢), without the final stop.
std::string clause(Lang lang, const std::string &person, size_t trait, bool negated)
{
    if (lang == Lang::En)
        return person + " is " + (negated ? "not " : "") + traits()[trait].key;
    return person + (negated ? "不" : "很") + traits()[trait].zh;
}

std::string formText(Lang lang, const Form &f, const std::string &person, size_t trait)
{
    std::string s = clause(lang, person, trait, f.innerNot);
    if (lang == Lang::En) {
        if (f.notTheCase)
            s = "it is not the case that " + s;
        return capitalize(s) + ".";
    }
    return (f.notTheCase ? "并非" : "") + s + "。";
}

std::string negationQuestion(Lang lang, const Form &f, const std::string &person, size_t trait)
{
    if (lang == Lang::En)
        return "Is the following statement true or false? " + formText(lang, f, person, trait);
    return "下面的说法是对还是错？" + formText(lang, f, person, trait);
}

// The loop both true-or-false solvers share: per question, `judge(mq)` gives the text the
// question must read and whether its statement holds; options are checked against that.
template <class Judge>
std::vector<size_t> solveTrueFalse(const json &meta, Lang lang, const json &questions,
                                   const char *kind, Judge judge)
{
    const json &metaQuestions = field(meta, "questions");
    std::vector<size_t> answers;
    for (size_t q = 0; q < metaQuestions.size(); ++q) {
        const json &mq = metaQuestions[q];
        if (stringField(mq, "kind") != kind)
            invalid("question " + std::to_string(q + 1) + ": unknown kind '" +
                    stringField(mq, "kind") + "'");
        checkOptionTexts(questions[q], optionTexts(lang), q);
        const auto [expectedText, truth] = judge(mq);
        if (stringField(questions[q], "question") != expectedText)
            invalid("question " + std::to_string(q + 1) + " reads '" +
                    stringField(questions[q], "question") + "' but its statement says '" +
                    expectedText + "'");
        std::vector<bool> correct;
        for (const json &o : field(mq, "options")) {
            const json &v = field(o, "value");
            if (!v.is_boolean())
                invalid("question " + std::to_string(q + 1) + ": option value is not true/false");
            correct.push_back(v.get<bool>() == truth);
        }
        answers.push_back(singleTrue(correct, q));
    }
    return answers;
}

} // namespace

Puzzle generateTraits(Rng &rng, Lang lang)
{
    World w;
    w.people = pickPeople(rng, lang, rng.range(3, 4));
    // Five traits: three that facts state, two that only rules give.
    const std::vector<size_t> used = rng.sample(traits().size(), 5);
    const std::vector<size_t> base(used.begin(), used.begin() + 3);
    const std::vector<size_t> derived(used.begin() + 3, used.end());
    for (size_t p = 0; p < w.people.size(); ++p) {
        for (size_t t : rng.sample(base.size(), rng.range(1, 2)))
            w.facts.emplace_back(p, base[t]);
    }
    rng.shuffle(w.facts);
    w.rules.emplace_back(base[rng.below(base.size())], derived[0]);
    // The second rule starts from a stated trait or from the first rule's result (two steps).
    w.rules.emplace_back(rng.chance(1, 2) ? derived[0] : base[rng.below(base.size())], derived[1]);
    if (w.rules[1].first == w.rules[0].first && w.rules[1].second == w.rules[0].second)
        throw Redraw{};

    const auto holds = closure(w);
    Puzzle puzzle;
    std::string text;
    if (lang == Lang::En) {
        text = "The following is known about " + enNumber(w.people.size()) + " friends, " +
               joinEn(w.people) + ":\n";
    } else {
        text = "关于" + zhCount(w.people.size()) + "位朋友" + joinZh(w.people) + "，已知：\n";
    }
    size_t line = 0;
    for (const auto &[p, t] : w.facts)
        text += std::to_string(++line) + ". " + statement(lang, w.people[p], t) + "\n";
    for (const auto &[from, to] : w.rules) {
        text += std::to_string(++line) + ". ";
        if (lang == Lang::En)
            text += std::string("Everyone who is ") + traits()[from].key + " is also " +
                    traits()[to].key + ".\n";
        else
            text += std::string("凡是") + traits()[from].zh + "的人都很" + traits()[to].zh + "。\n";
    }
    text += lang == Lang::En ? "Anything not stated or derivable from these facts is false."
                             : "未提及的事实均视为不成立。";
    puzzle.problem = text;

    json facts = json::array(), rules = json::array();
    for (const auto &[p, t] : w.facts)
        facts.push_back({{"x", w.people[p]}, {"trait", traits()[t].key}});
    for (const auto &[from, to] : w.rules)
        rules.push_back({{"if", traits()[from].key}, {"then", traits()[to].key}});
    puzzle.world = {{"people", w.people}, {"facts", facts}, {"rules", rules}};

    // Three questions about distinct (person, trait) pairs over the five traits, each true or
    // false with even odds; a true one is a derived trait half of the time.
    std::set<std::pair<size_t, size_t>> asked;
    for (int q = 0; q < 3; ++q) {
        const bool wantTrue = rng.chance(1, 2);
        const bool wantDerived = rng.chance(1, 2);
        std::vector<std::pair<size_t, size_t>> pool;
        for (size_t p = 0; p < w.people.size(); ++p)
            for (size_t t : used) {
                const std::pair<size_t, size_t> pt{p, t};
                if (asked.count(pt) || bool(holds.count(pt)) != wantTrue)
                    continue;
                const bool isDerived = std::find(w.facts.begin(), w.facts.end(), pt) == w.facts.end();
                if (wantTrue && isDerived != wantDerived)
                    continue;
                pool.push_back(pt);
            }
        if (pool.empty())
            throw Redraw{};
        const auto [p, t] = pool[rng.below(pool.size())];
        asked.insert({p, t});
        PuzzleQuestion pq;
        pq.text = questionText(lang, w.people[p], t);
        pq.options = optionTexts(lang);
        pq.correct = wantTrue ? 0 : 1;
        pq.meta = {{"kind", "truth"},
                   {"x", w.people[p]},
                   {"trait", traits()[t].key},
                   {"options", json::array({{{"value", true}}, {{"value", false}}})}};
        puzzle.questions.push_back(std::move(pq));
    }
    return puzzle;
}

Puzzle generateNegation(Rng &rng, Lang lang)
{
    const std::string person = pickPeople(rng, lang, 1).front();
    const size_t trait = rng.below(traits().size());
    const bool negated = rng.chance(1, 2);
    Puzzle puzzle;
    puzzle.problem = (lang == Lang::En ? "The following is known about " + person + ": " +
                                             clause(lang, person, trait, negated) + "."
                                       : "关于" + person + "，已知：" +
                                             clause(lang, person, trait, negated) + "。");
    puzzle.world = {{"x", person}, {"trait", traits()[trait].key}, {"negated", negated}};
    // The four forms in random order: two of them true and two false, whatever the fact.
    std::vector<Form> forms = allForms();
    rng.shuffle(forms);
    for (const Form &f : forms) {
        const bool truth = (f.negations() + int(negated)) % 2 == 0;
        PuzzleQuestion pq;
        pq.text = negationQuestion(lang, f, person, trait);
        pq.options = optionTexts(lang);
        pq.correct = truth ? 0 : 1;
        pq.meta = {{"kind", "negation"},
                   {"form", f.name()},
                   {"options", json::array({{{"value", true}}, {{"value", false}}})}};
        puzzle.questions.push_back(std::move(pq));
    }
    return puzzle;
}

std::vector<size_t> solveNegation(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    const std::string person = stringField(world, "x");
    const size_t trait = traitIndex(stringField(world, "trait"));
    const json &negatedField = field(world, "negated");
    if (!negatedField.is_boolean())
        invalid("world field 'negated' is not true/false");
    const bool negated = negatedField.get<bool>();
    return solveTrueFalse(meta, lang, questions, "negation", [&](const json &mq) {
        const Form f = formFromName(stringField(mq, "form"));
        // The statement holds when the fact's and the form's negations cancel out.
        return std::pair{negationQuestion(lang, f, person, trait),
                         (f.negations() + int(negated)) % 2 == 0};
    });
}

std::vector<size_t> solveTraits(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    World w;
    w.people = stringList(world, "people");
    for (const json &f : field(world, "facts"))
        w.facts.emplace_back(indexOf(w.people, stringField(f, "x")),
                             traitIndex(stringField(f, "trait")));
    for (const json &r : field(world, "rules"))
        w.rules.emplace_back(traitIndex(stringField(r, "if")), traitIndex(stringField(r, "then")));
    const auto holds = closure(w);
    return solveTrueFalse(meta, lang, questions, "truth", [&](const json &mq) {
        const std::string person = stringField(mq, "x");
        const size_t trait = traitIndex(stringField(mq, "trait"));
        return std::pair{questionText(lang, person, trait),
                         holds.count({indexOf(w.people, person), trait}) > 0};
    });
}

} // namespace wb::demo
