// Set membership: club sign-up lists, then a few changes applied in order (join, leave,
// "every member of X also joined Y"); questions about the final intersections and counts.

#include "data/demo_internal.h"

#include <set>

namespace wb::demo {

namespace {

using nlohmann::json;

struct Club
{
    const char *key; // English name, "the <key> club"
    const char *zh;
};

const std::vector<Club> &clubs()
{
    static const std::vector<Club> all = {
        {"chess", "象棋社"},       {"music", "音乐社"},      {"drama", "戏剧社"},
        {"art", "美术社"},         {"robotics", "机器人社"}, {"debate", "辩论社"},
        {"photography", "摄影社"}, {"dance", "舞蹈社"},
    };
    return all;
}

size_t clubIndex(const std::string &key)
{
    for (size_t i = 0; i < clubs().size(); ++i) {
        if (key == clubs()[i].key)
            return i;
    }
    invalid("unknown club '" + key + "'");
}

enum class EventType { Join, Leave, JoinAll };

struct Event
{
    EventType type = EventType::Join;
    size_t student = 0; // Join, Leave
    size_t club = 0;    // Join, Leave; destination of JoinAll
    size_t from = 0;    // JoinAll: every member of this club...
};

struct World
{
    Lang lang = Lang::En;
    std::vector<std::string> students;
    std::vector<size_t> clubIds;           // global club index per local club
    std::vector<std::set<size_t>> initial; // per local club
    std::vector<Event> events;             // club fields are local indices
};

// Expressions the questions ask about; local club indices a, b.
enum class Op { Both, OnlyFirst, ExactlyOne, None, AtLeastTwo, All };

struct Expr
{
    Op op = Op::Both;
    size_t a = 0;
    size_t b = 0;
};

const char *opKey(Op op)
{
    static const char *keys[] = {"both", "onlyFirst", "exactlyOne", "none", "atLeastTwo", "all"};
    return keys[int(op)];
}

std::string clubEn(const World &w, size_t local)
{
    return std::string("the ") + clubs()[w.clubIds[local]].key + " club";
}

std::string clubZh(const World &w, size_t local)
{
    return clubs()[w.clubIds[local]].zh;
}

// Applies the changes in order. A change that makes no sense (leaving a club one is not in)
// means the text would lie, so it is rejected rather than ignored.
std::vector<std::set<size_t>> finalSets(const World &w)
{
    auto sets = w.initial;
    for (const auto &e : w.events) {
        switch (e.type) {
        case EventType::Join:
            if (!sets[e.club].insert(e.student).second)
                invalid(w.students[e.student] + " joins a club they are already in");
            break;
        case EventType::Leave:
            if (sets[e.club].erase(e.student) == 0)
                invalid(w.students[e.student] + " leaves a club they are not in");
            break;
        case EventType::JoinAll:
            for (size_t s : sets[e.from])
                sets[e.club].insert(s);
            break;
        }
    }
    return sets;
}

bool inExpr(const std::vector<std::set<size_t>> &sets, const Expr &e, size_t s)
{
    size_t count = 0;
    for (const auto &club : sets)
        count += club.count(s);
    switch (e.op) {
    case Op::Both:
        return sets[e.a].count(s) && sets[e.b].count(s);
    case Op::OnlyFirst:
        return sets[e.a].count(s) && !sets[e.b].count(s);
    case Op::ExactlyOne:
        return count == 1;
    case Op::None:
        return count == 0;
    case Op::AtLeastTwo:
        return count >= 2;
    default:
        return count == sets.size();
    }
}

size_t exprCount(const World &w, const std::vector<std::set<size_t>> &sets, const Expr &e)
{
    size_t n = 0;
    for (size_t s = 0; s < w.students.size(); ++s)
        n += inExpr(sets, e, s) ? 1 : 0;
    return n;
}

// The phrase after "students who are" / the Chinese clause before "的学生".
std::string exprText(const World &w, const Expr &e)
{
    if (w.lang == Lang::En) {
        switch (e.op) {
        case Op::Both:
            return "in both " + clubEn(w, e.a) + " and " + clubEn(w, e.b);
        case Op::OnlyFirst:
            return "in " + clubEn(w, e.a) + " but not in " + clubEn(w, e.b);
        case Op::ExactlyOne:
            return "in exactly one club";
        case Op::None:
            return "in no club at all";
        case Op::AtLeastTwo:
            return "in at least two clubs";
        default:
            return "in all " + enNumber(w.clubIds.size()) + " clubs";
        }
    }
    switch (e.op) {
    case Op::Both:
        return "既参加" + clubZh(w, e.a) + "又参加" + clubZh(w, e.b);
    case Op::OnlyFirst:
        return "参加" + clubZh(w, e.a) + "但没有参加" + clubZh(w, e.b);
    case Op::ExactlyOne:
        return "恰好参加一个社团";
    case Op::None:
        return "一个社团都没有参加";
    case Op::AtLeastTwo:
        return "至少参加两个社团";
    default:
        return zhNumber(w.clubIds.size()) + "个社团都参加";
    }
}

json exprJson(const World &w, const Expr &e)
{
    json j = {{"op", opKey(e.op)}};
    if (e.op == Op::Both || e.op == Op::OnlyFirst) {
        j["a"] = clubs()[w.clubIds[e.a]].key;
        j["b"] = clubs()[w.clubIds[e.b]].key;
    }
    return j;
}

size_t localClub(const World &w, const std::string &key)
{
    const size_t g = clubIndex(key);
    for (size_t i = 0; i < w.clubIds.size(); ++i) {
        if (w.clubIds[i] == g)
            return i;
    }
    invalid("club '" + key + "' is not part of this puzzle");
}

Expr exprFromJson(const World &w, const json &j)
{
    Expr e;
    const std::string op = stringField(j, "op");
    bool known = false;
    for (Op o : {Op::Both, Op::OnlyFirst, Op::ExactlyOne, Op::None, Op::AtLeastTwo, Op::All}) {
        if (op == opKey(o)) {
            e.op = o;
            known = true;
        }
    }
    if (!known)
        invalid("unknown set expression '" + op + "'");
    if (e.op == Op::Both || e.op == Op::OnlyFirst) {
        e.a = localClub(w, stringField(j, "a"));
        e.b = localClub(w, stringField(j, "b"));
        if (e.a == e.b)
            invalid("a set expression compares a club with itself");
    }
    return e;
}

std::string memberText(const World &w, size_t s, size_t club, bool positive)
{
    if (w.lang == Lang::En)
        return w.students[s] + (positive ? " is in " : " is not in ") + clubEn(w, club);
    return w.students[s] + (positive ? "参加了" : "没有参加") + clubZh(w, club);
}

std::string countText(Lang lang, size_t k)
{
    return lang == Lang::En ? std::to_string(k) : std::to_string(k) + "人";
}

std::string eventText(const World &w, const Event &e)
{
    const bool en = w.lang == Lang::En;
    switch (e.type) {
    case EventType::Join:
        return en ? w.students[e.student] + " joined " + clubEn(w, e.club)
                  : w.students[e.student] + "加入了" + clubZh(w, e.club);
    case EventType::Leave:
        return en ? w.students[e.student] + " left " + clubEn(w, e.club)
                  : w.students[e.student] + "退出了" + clubZh(w, e.club);
    default:
        return en ? "Every member of " + clubEn(w, e.from) + " also joined " + clubEn(w, e.club)
                  : clubZh(w, e.from) + "的所有成员都加入了" + clubZh(w, e.club);
    }
}

std::string problemText(const World &w)
{
    const bool en = w.lang == Lang::En;
    const size_t n = w.students.size();
    std::string text;
    if (en) {
        text = capitalize(enNumber(n)) + " students, " + joinEn(w.students) +
               ", may each join any number of clubs, or none. The sign-up lists were:";
    } else {
        text = "某班有" + joinZh(w.students) + zhNumber(n) +
               "名学生，每人可以参加任意多个社团，也可以不参加。各社团的报名名单如下：";
    }
    for (size_t c = 0; c < w.clubIds.size(); ++c) {
        std::vector<std::string> names;
        for (size_t s : w.initial[c])
            names.push_back(w.students[s]);
        if (en)
            text += "\n" + capitalize(clubEn(w, c)) + ": " +
                    (names.empty() ? "nobody" : joinEn(names)) + ".";
        else
            text += "\n" + clubZh(w, c) + "：" + (names.empty() ? "（无人报名）" : joinZh(names)) +
                    (c + 1 == w.clubIds.size() ? "。" : "；");
    }
    if (w.events.empty()) {
        text += en ? "\nThese lists are final." : "\n此后名单没有任何变动。";
        return text;
    }
    text += en ? "\nAfter the lists were posted, the following changes happened, in this order:"
               : "\n名单公布后，又依次发生了以下变动：";
    for (size_t i = 0; i < w.events.size(); ++i) {
        if (en)
            text += "\n" + std::to_string(i + 1) + ". " + eventText(w, w.events[i]) + ".";
        else
            text += "\n（" + std::to_string(i + 1) + "）" + eventText(w, w.events[i]) +
                    (i + 1 == w.events.size() ? "。" : "；");
    }
    text += en ? "\nThere were no other changes." : "\n除此之外没有其他变动。";
    return text;
}

std::vector<std::string> pickNames(Rng &rng, Lang lang, size_t n)
{
    static const std::vector<std::string> en = {"Anna",  "Bella", "Carl", "Diego", "Ella",
                                                "Felix", "Gina",  "Hugo", "Ivy",   "Jonas"};
    static const std::vector<std::string> zh = {"小明", "小红", "小刚", "小丽", "小军",
                                                "小芳", "小强", "小燕", "小伟", "小雪"};
    const auto &pool = lang == Lang::En ? en : zh;
    auto idx = rng.sample(pool.size(), n);
    std::sort(idx.begin(), idx.end());
    std::vector<std::string> out;
    for (size_t i : idx)
        out.push_back(pool[i]);
    return out;
}

} // namespace

Puzzle generateSets(Rng &rng, Lang lang)
{
    World w;
    w.lang = lang;
    w.students = pickNames(rng, lang, rng.range(5, 7));
    const size_t n = w.students.size();
    const size_t nClubs = rng.chance(3, 4) ? 3 : 2;
    w.clubIds = rng.sample(clubs().size(), nClubs);
    w.initial.resize(nClubs);
    for (size_t c = 0; c < nClubs; ++c) {
        for (size_t s = 0; s < n; ++s) {
            if (rng.chance(9, 20))
                w.initial[c].insert(s);
        }
    }
    // Changes, each valid at the moment it happens.
    auto sets = w.initial;
    const size_t nEvents = rng.range(0, 3);
    for (size_t i = 0; i < nEvents; ++i) {
        Event e;
        const size_t roll = rng.below(3);
        e.club = rng.below(nClubs);
        e.student = rng.below(n);
        if (roll == 2) {
            e.type = EventType::JoinAll;
            e.from = (e.club + 1 + rng.below(nClubs - 1)) % nClubs;
            // Only a change that moves someone is worth telling.
            bool movesSomeone = false;
            for (size_t s : sets[e.from])
                movesSomeone = movesSomeone || sets[e.club].count(s) == 0;
            if (!movesSomeone)
                continue;
            for (size_t s : sets[e.from])
                sets[e.club].insert(s);
        } else if (sets[e.club].count(e.student)) {
            e.type = EventType::Leave;
            sets[e.club].erase(e.student);
        } else {
            e.type = EventType::Join;
            sets[e.club].insert(e.student);
        }
        w.events.push_back(e);
    }

    Puzzle puzzle;
    puzzle.problem = problemText(w);
    json lists = json::array(), events = json::array(), finals = json::object();
    for (size_t c = 0; c < nClubs; ++c) {
        json members = json::array(), finalList = json::array();
        for (size_t s : w.initial[c])
            members.push_back(w.students[s]);
        for (size_t s : sets[c])
            finalList.push_back(w.students[s]);
        lists.push_back({{"club", clubs()[w.clubIds[c]].key}, {"members", members}});
        finals[clubs()[w.clubIds[c]].key] = finalList;
    }
    for (const auto &e : w.events) {
        static const char *types[] = {"join", "leave", "joinAll"};
        json j = {{"type", types[int(e.type)]}, {"club", clubs()[w.clubIds[e.club]].key}};
        if (e.type == EventType::JoinAll)
            j["from"] = clubs()[w.clubIds[e.from]].key;
        else
            j["student"] = w.students[e.student];
        events.push_back(j);
    }
    puzzle.world = {
        {"students", w.students}, {"clubs", lists}, {"changes", events}, {"final", finals}};

    auto randomExpr = [&]() {
        Expr e;
        const size_t roll = rng.below(nClubs == 3 ? 10 : 7);
        const auto two = rng.sample(nClubs, 2);
        e.a = two[0];
        e.b = two[1];
        e.op = roll < 3   ? Op::Both
               : roll < 5 ? Op::OnlyFirst
               : roll < 6 ? Op::ExactlyOne
               : roll < 7 ? Op::None
               : roll < 9 ? Op::AtLeastTwo
                          : Op::All;
        return e;
    };

    // Questions mention the changes only when there were some.
    const std::string after = w.events.empty() ? "" : "After the changes, ";
    const std::string zhAfter = w.events.empty() ? "" : "最终，";
    std::vector<std::string> kinds = {"count", "count", "who", "mustBeTrue"};
    rng.shuffle(kinds);
    const size_t wanted = rng.range(1, 3);
    std::set<std::string> asked;
    for (int attempt = 0; attempt < 20 && puzzle.questions.size() < wanted; ++attempt) {
        const std::string &kind = kinds[size_t(attempt) % kinds.size()];
        if (kind == "count") {
            const Expr e = randomExpr();
            const std::string what = exprText(w, e);
            if (!asked.insert("count " + what).second)
                continue;
            const size_t k = exprCount(w, sets, e);
            // Distractors near the true count, as a careless reader would get.
            std::vector<size_t> near;
            for (size_t d = 0; d <= n; ++d) {
                if (d != k && (d + 3 >= k && d <= k + 3))
                    near.push_back(d);
            }
            rng.shuffle(near);
            auto choice = [&](size_t c) {
                return Choice{countText(lang, c),
                              {{"type", "count"}, {"expr", exprJson(w, e)}, {"k", c}}};
            };
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(choice(near[i]));
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? capitalize(after + "how many students are " + what + "?")
                                 : zhAfter + what + "的学生有几人？",
                {{"kind", "count"}, {"expr", exprJson(w, e)}}, choice(k), std::move(wrong)));
        } else if (kind == "who") {
            const Expr e = randomExpr();
            const std::string what = exprText(w, e);
            std::vector<size_t> in, out;
            for (size_t s = 0; s < n; ++s)
                (inExpr(sets, e, s) ? in : out).push_back(s);
            if (in.empty() || out.size() < 3 || !asked.insert("who " + what).second)
                continue;
            rng.shuffle(out);
            auto choice = [&](size_t s) {
                return Choice{
                    w.students[s],
                    {{"type", "in"}, {"student", w.students[s]}, {"expr", exprJson(w, e)}}};
            };
            std::vector<Choice> wrong;
            for (size_t i = 0; i < 3; ++i)
                wrong.push_back(choice(out[i]));
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En ? capitalize(after + "which of these students is " + what + "?")
                                 : zhAfter + "以下哪位学生" + what + "？",
                {{"kind", "who"}, {"expr", exprJson(w, e)}}, choice(rng.pick(in)),
                std::move(wrong)));
        } else {
            if (!asked.insert("mustBeTrue").second)
                continue;
            // Literals about students the changes touched are the ones worth asking.
            std::vector<std::pair<Choice, bool>> lits;
            for (size_t c = 0; c < nClubs; ++c) {
                for (size_t s = 0; s < n; ++s) {
                    for (bool positive : {true, false}) {
                        lits.push_back({Choice{memberText(w, s, c, positive),
                                               {{"type", "member"},
                                                {"student", w.students[s]},
                                                {"club", clubs()[w.clubIds[c]].key},
                                                {"positive", positive}}},
                                        (sets[c].count(s) > 0) == positive});
                    }
                }
            }
            rng.shuffle(lits);
            // At most one literal per (student, club), so elimination gives nothing away.
            std::vector<Choice> right, wrong;
            std::set<std::string> about;
            for (const auto &[c, truth] : lits) {
                const std::string key = c.statement["student"].get<std::string>() + "|" +
                                        c.statement["club"].get<std::string>();
                if (truth && right.empty() && about.insert(key).second)
                    right.push_back(c);
                else if (!truth && wrong.size() < 3 && about.insert(key).second)
                    wrong.push_back(c);
            }
            if (right.empty() || wrong.size() < 3)
                continue;
            puzzle.questions.push_back(makeQuestion(
                rng,
                lang == Lang::En
                    ? (w.events.empty() ? "Which of the following is true?"
                                        : "Which of the following is true after the changes?")
                    : (w.events.empty() ? "以下哪项为真？" : "以下哪项符合变动后的最终情况？"),
                {{"kind", "mustBeTrue"}}, right[0], std::move(wrong)));
        }
    }
    if (puzzle.questions.empty())
        throw Redraw{};
    return puzzle;
}

std::vector<size_t> solveSets(const json &meta, Lang lang, const json &questions)
{
    const json &world = field(meta, "world");
    World w;
    w.lang = lang;
    w.students = stringList(world, "students");
    if (w.students.empty() ||
        std::set<std::string>(w.students.begin(), w.students.end()).size() != w.students.size())
        invalid("the set puzzle needs students with distinct names");
    const json &lists = field(world, "clubs");
    if (!lists.is_array() || lists.size() < 2)
        invalid("the set puzzle needs at least two clubs");
    for (const auto &club : lists) {
        const size_t g = clubIndex(stringField(club, "club"));
        if (std::find(w.clubIds.begin(), w.clubIds.end(), g) != w.clubIds.end())
            invalid("club '" + std::string(clubs()[g].key) + "' is listed twice");
        w.clubIds.push_back(g);
        std::set<size_t> members;
        for (const auto &name : stringList(club, "members"))
            members.insert(indexOf(w.students, name));
        w.initial.push_back(members);
    }
    const json &changes = field(world, "changes");
    if (!changes.is_array())
        invalid("meta field 'changes' is not a list");
    for (const auto &j : changes) {
        Event e;
        const std::string type = stringField(j, "type");
        e.club = localClub(w, stringField(j, "club"));
        if (type == "joinAll") {
            e.type = EventType::JoinAll;
            e.from = localClub(w, stringField(j, "from"));
        } else if (type == "join" || type == "leave") {
            e.type = type == "join" ? EventType::Join : EventType::Leave;
            e.student = indexOf(w.students, stringField(j, "student"));
        } else {
            invalid("unknown club change '" + type + "'");
        }
        w.events.push_back(e);
    }
    const auto sets = finalSets(w);

    if (world.contains("final")) {
        for (size_t c = 0; c < w.clubIds.size(); ++c) {
            std::set<size_t> stored;
            for (const auto &name : stringList(world["final"], clubs()[w.clubIds[c]].key))
                stored.insert(indexOf(w.students, name));
            if (stored != sets[c])
                invalid(std::string("the stored final members of the ") +
                        clubs()[w.clubIds[c]].key + " club disagree with the lists and changes");
        }
    }

    const json &metaQuestions = field(meta, "questions");
    std::vector<size_t> answers;
    for (size_t qi = 0; qi < metaQuestions.size(); ++qi) {
        const json &mq = metaQuestions[qi];
        const std::string kind = stringField(mq, "kind");
        if (kind != "count" && kind != "who" && kind != "mustBeTrue")
            invalid("unknown set question kind '" + kind + "'");
        const json &opts = field(mq, "options");
        if (!opts.is_array() || opts.size() < 2)
            invalid("question " + std::to_string(qi + 1) + " has too few option statements");
        std::vector<bool> truth;
        std::vector<std::string> texts;
        for (const auto &o : opts) {
            const std::string type = stringField(o, "type");
            if (type == "count" && kind == "count") {
                const Expr e = exprFromJson(w, field(o, "expr"));
                const long long k = intField(o, "k");
                truth.push_back(k >= 0 && size_t(k) == exprCount(w, sets, e));
                texts.push_back(countText(lang, size_t(std::max(0LL, k))));
            } else if (type == "in" && kind == "who") {
                const Expr e = exprFromJson(w, field(o, "expr"));
                const size_t s = indexOf(w.students, stringField(o, "student"));
                truth.push_back(inExpr(sets, e, s));
                texts.push_back(w.students[s]);
            } else if (type == "member" && kind == "mustBeTrue") {
                const size_t s = indexOf(w.students, stringField(o, "student"));
                const size_t c = localClub(w, stringField(o, "club"));
                const json &pos = field(o, "positive");
                if (!pos.is_boolean())
                    invalid("meta field 'positive' is not a boolean");
                truth.push_back((sets[c].count(s) > 0) == pos.get<bool>());
                texts.push_back(memberText(w, s, c, pos.get<bool>()));
            } else {
                invalid("question " + std::to_string(qi + 1) + ": statement type '" + type +
                        "' does not fit a '" + kind + "' question");
            }
        }
        checkOptionTexts(questions[qi], texts, qi);
        answers.push_back(singleTrue(truth, qi));
    }
    return answers;
}

} // namespace wb::demo
