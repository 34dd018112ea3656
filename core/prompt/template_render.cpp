#include "prompt/template.h"
#include "prompt/template_internal.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace wb {

namespace {

using tpl::position;

// ---------------------------------------------------------------------------------------------
// Rendering

std::string letterFor(size_t index)
{
    std::string letters;
    size_t n = index + 1; // bijective base 26: Z is followed by AA
    while (n > 0) {
        --n;
        letters.insert(letters.begin(), static_cast<char>('A' + n % 26));
        n /= 26;
    }
    return letters;
}

std::string dumpJson(const nlohmann::json &value)
{
    // Replace rather than throw on invalid UTF-8: a preview must never fail on odd bytes.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void appendValue(std::string &out, const nlohmann::json &value);

void appendScalar(std::string &out, const nlohmann::json &value)
{
    if (value.is_string()) {
        out += value.get_ref<const std::string &>();
    } else if (value.is_null()) {
        // renders nothing
    } else if (value.is_number_float()) {
        const double d = value.get<double>();
        // 3.0 read from JSON is still the number of options, not "3.0".
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
            out += std::to_string(static_cast<long long>(d));
        else
            out += dumpJson(value);
    } else {
        out += dumpJson(value); // integers, booleans
    }
}

void appendValue(std::string &out, const nlohmann::json &value)
{
    if (value.is_array()) {
        const bool flat = std::all_of(value.begin(), value.end(), [](const nlohmann::json &v) {
            return v.is_primitive() && !v.is_null();
        });
        if (!flat) {
            out += dumpJson(value);
            return;
        }
        bool firstItem = true;
        for (const auto &item : value) {
            if (!firstItem)
                out += ", ";
            firstItem = false;
            appendScalar(out, item);
        }
    } else if (value.is_object()) {
        out += dumpJson(value);
    } else {
        appendScalar(out, value);
    }
}

bool isTruthy(const nlohmann::json *value)
{
    if (!value || value->is_null())
        return false;
    if (value->is_boolean())
        return value->get<bool>();
    if (value->is_string())
        return !value->get_ref<const std::string &>().empty();
    if (value->is_array())
        return !value->empty();
    if (value->is_number())
        return value->get<double>() != 0.0;
    return true;
}

bool isIndex(const std::string &segment)
{
    return !segment.empty() && segment.size() < 10 &&
           std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Renderer
{
public:
    explicit Renderer(const nlohmann::json &root) : m_root(root) {}

    void render(const std::vector<TemplateNode> &nodes, std::string &out)
    {
        for (const TemplateNode &node : nodes) {
            switch (node.kind) {
            case TemplateNode::Kind::Root:
            case TemplateNode::Kind::Text:
                out += node.text;
                break;
            case TemplateNode::Kind::Variable:
                appendValue(out, require(node));
                break;
            case TemplateNode::Kind::If:
                if (isTruthy(lookup(node.path)) != node.negate)
                    render(node.children, out);
                else
                    render(node.elseChildren, out);
                break;
            case TemplateNode::Kind::Each:
                renderEach(node, out);
                break;
            }
        }
    }

private:
    struct Scope
    {
        const nlohmann::json *item;
        nlohmann::json locals;
    };

    void renderEach(const TemplateNode &node, std::string &out)
    {
        const nlohmann::json &list = require(node);
        if (!list.is_array())
            throw TemplateError("{{#each " + node.name + "}} needs a list, but '" + node.name +
                                    "' is " + describeType(list) + " at " +
                                    position(node.line, node.column),
                                node.line, node.column, node.name);
        const size_t size = list.size();
        for (size_t i = 0; i < size; ++i) {
            const nlohmann::json &item = list[i];
            m_scopes.push_back({&item,
                                {{"this", item},
                                 {"letter", letterFor(i)},
                                 {"index", i},
                                 {"number", i + 1},
                                 {"first", i == 0},
                                 {"last", i + 1 == size}}});
            try {
                render(node.children, out);
            } catch (...) {
                m_scopes.pop_back();
                throw;
            }
            m_scopes.pop_back();
        }
    }

    static std::string describeType(const nlohmann::json &value)
    {
        if (value.is_string())
            return "a string";
        if (value.is_object())
            return "an object";
        if (value.is_number())
            return "a number";
        if (value.is_boolean())
            return "a boolean";
        return "null";
    }

    const nlohmann::json &require(const TemplateNode &node) const
    {
        if (const nlohmann::json *value = lookup(node.path))
            return *value;
        throw TemplateError("unknown variable '" + node.name + "' at " +
                                position(node.line, node.column),
                            node.line, node.column, node.name);
    }

    const nlohmann::json *lookup(const std::vector<std::string> &path) const
    {
        const std::string &first = path.front();
        const nlohmann::json *value = nullptr;
        // Innermost loop first; its own names (this, letter, …) shadow the item's fields.
        for (auto scope = m_scopes.rbegin(); scope != m_scopes.rend() && !value; ++scope) {
            if (auto it = scope->locals.find(first); it != scope->locals.end())
                value = &*it;
            else if (scope->item->is_object())
                if (auto field = scope->item->find(first); field != scope->item->end())
                    value = &*field;
        }
        if (!value) {
            if (first == "this")
                value = &m_root;
            else if (m_root.is_object())
                if (auto it = m_root.find(first); it != m_root.end())
                    value = &*it;
        }
        for (size_t i = 1; value && i < path.size(); ++i)
            value = child(*value, path[i]);
        return value;
    }

    static const nlohmann::json *child(const nlohmann::json &value, const std::string &segment)
    {
        if (value.is_object()) {
            auto it = value.find(segment);
            return it == value.end() ? nullptr : &*it;
        }
        if (value.is_array() && isIndex(segment)) {
            const size_t index = std::stoul(segment);
            return index < value.size() ? &value[index] : nullptr;
        }
        return nullptr;
    }

    const nlohmann::json &m_root;
    std::deque<Scope> m_scopes; // a deque: lookups hand out pointers into earlier scopes
};

} // namespace

std::string PromptTemplate::render(const nlohmann::json &context) const
{
    std::string out;
    if (!m_root)
        return out;
    out.reserve(m_source.size() * 2);
    Renderer(context).render(m_root->children, out);
    return out;
}

} // namespace wb
