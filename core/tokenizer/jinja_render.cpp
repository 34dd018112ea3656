// Walks a parsed chat template. Scoping follows jinja2: each for-loop iteration gets its own
// scope, so {% set %} inside a loop neither survives the iteration nor leaks out of the loop;
// templates carry state across iterations with namespace() objects, which are shared by
// reference.

#include "common/error.h"
#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_builtins.h"

#include <algorithm>
#include <utility>

namespace wb::jinja {

namespace {

struct Scope;
using ScopePtr = std::shared_ptr<Scope>;

struct Scope
{
    ScopePtr parent;
    std::vector<std::pair<std::string, Value>> vars;

    const Value *find(const std::string &name) const
    {
        for (const Scope *s = this; s; s = s->parent.get()) {
            for (const auto &[k, v] : s->vars) {
                if (k == name)
                    return &v;
            }
        }
        return nullptr;
    }

    void set(const std::string &name, Value value)
    {
        for (auto &[k, v] : vars) {
            if (k == name) {
                v = std::move(value);
                return;
            }
        }
        vars.emplace_back(name, std::move(value));
    }
};

ScopePtr child(const ScopePtr &parent)
{
    auto s = std::make_shared<Scope>();
    s->parent = parent;
    return s;
}

enum class Flow { Normal, Break, Continue };

const char *const kBlockVariable = "\x01block";

class Renderer
{
public:
    explicit Renderer(const std::vector<std::pair<std::string, Value>> &variables)
        : m_globals(std::make_shared<Scope>())
    {
        for (const auto &[name, value] : variables)
            m_globals->set(name, value);
    }

    std::string run(const Program &program)
    {
        std::string result;
        m_out = &result;
        execBody(program.body, child(m_globals));
        m_out = nullptr;
        return result;
    }

private:
    struct DepthGuard
    {
        Renderer &r;
        explicit DepthGuard(Renderer &renderer) : r(renderer)
        {
            if (++r.m_depth > kMaxRenderDepth) {
                --r.m_depth;
                throwRuntime("chat template nested more than " + std::to_string(kMaxRenderDepth) +
                             " levels deep while rendering (a macro that calls itself?)");
            }
        }
        ~DepthGuard() { --r.m_depth; }
    };

    struct Capture
    {
        Renderer &r;
        std::string *saved;
        std::string buffer;
        explicit Capture(Renderer &renderer) : r(renderer), saved(renderer.m_out)
        {
            r.m_out = &buffer;
        }
        ~Capture() { r.m_out = saved; }
    };

    void step()
    {
        if (++m_steps > kMaxSteps)
            throwRuntime("chat template ran more than " + std::to_string(kMaxSteps) +
                         " loop iterations and macro calls; stopped (an unbounded loop?)");
    }

    void emit(const std::string &text)
    {
        m_out->append(text);
        if (m_out->size() > kMaxOutputBytes)
            throwRuntime("chat template output grew past " + std::to_string(kMaxOutputBytes >> 20) +
                         " MiB; stopped");
    }

    Value lookup(const std::string &name, const ScopePtr &scope) const
    {
        if (const Value *v = scope->find(name))
            return *v;
        if (auto g = globalValue(name))
            return *g;
        return Value::undefined(repr(Value::string(name)) + " is undefined");
    }

    Flow execBody(const Body &body, const ScopePtr &scope)
    {
        for (const auto &st : body) {
            const Flow f = exec(*st, scope);
            if (f != Flow::Normal)
                return f;
        }
        return Flow::Normal;
    }

    Flow exec(const Stmt &st, const ScopePtr &scope)
    {
        DepthGuard guard(*this);
        try {
            return execInner(st, scope);
        } catch (const Error &e) {
            // The innermost statement names the line; outer ones pass it on unchanged.
            if (!e.context().empty())
                throw;
            throw Error(e.code(), e.message(), "chat template line " + std::to_string(st.line));
        }
    }

    void bind(Scope &scope, const std::vector<std::string> &targets, const Value &value)
    {
        if (targets.size() == 1) {
            scope.set(targets[0], value);
            return;
        }
        const std::vector<Value> parts = iterate(value);
        if (parts.size() > targets.size())
            throwRuntime("too many values to unpack (expected " + std::to_string(targets.size()) +
                         ")");
        if (parts.size() < targets.size())
            throwRuntime("not enough values to unpack (expected " + std::to_string(targets.size()) +
                         ", got " + std::to_string(parts.size()) + ")");
        for (size_t i = 0; i < targets.size(); ++i)
            scope.set(targets[i], parts[i]);
    }

    Value loopValue(const std::vector<Value> &items, size_t i)
    {
        const auto n = static_cast<int64_t>(items.size());
        const auto k = static_cast<int64_t>(i);
        ValueDict d;
        auto put = [&d](const char *key, Value v) {
            d.items.emplace_back(Value::string(key), std::move(v));
        };
        put("index", Value::integer(k + 1));
        put("index0", Value::integer(k));
        put("revindex", Value::integer(n - k));
        put("revindex0", Value::integer(n - k - 1));
        put("first", Value::boolean(k == 0));
        put("last", Value::boolean(k == n - 1));
        put("length", Value::integer(n));
        put("depth", Value::integer(1));
        put("depth0", Value::integer(0));
        put("previtem", k > 0 ? items[i - 1] : Value::undefined("there is no previous item"));
        put("nextitem", k + 1 < n ? items[i + 1] : Value::undefined("there is no next item"));
        put("cycle", Value::function("cycle", [k](const CallArgs &a) {
                if (a.positional.empty())
                    throwRuntime("no items for cycling given");
                return a.positional[static_cast<size_t>(k) % a.positional.size()];
            }));
        return Value::dict(std::move(d));
    }

    Flow execFor(const Stmt &st, const ScopePtr &scope)
    {
        std::vector<Value> items = iterate(eval(*st.expr, scope));
        if (st.filter) {
            std::vector<Value> kept;
            for (const Value &item : items) {
                step();
                auto s = child(scope);
                bind(*s, st.targets, item);
                if (truthy(eval(*st.filter, s)))
                    kept.push_back(item);
            }
            items = std::move(kept);
        }
        if (items.empty()) {
            if (st.bodies.size() > 1)
                return execBody(st.bodies[1], child(scope));
            return Flow::Normal;
        }
        for (size_t i = 0; i < items.size(); ++i) {
            step();
            auto s = child(scope);
            bind(*s, st.targets, items[i]);
            s->set("loop", loopValue(items, i));
            if (execBody(st.bodies[0], s) == Flow::Break)
                break;
        }
        return Flow::Normal;
    }

    Value callMacro(const Stmt &macro, const ScopePtr &definedIn, const CallArgs &args)
    {
        step();
        DepthGuard guard(*this);
        auto s = child(definedIn);
        const size_t n = macro.targets.size();
        ValueList varargs;
        for (size_t i = n; i < args.positional.size(); ++i)
            varargs.push_back(args.positional[i]);
        ValueDict kwargs;
        for (const auto &[k, v] : args.keywords) {
            if (std::find(macro.targets.begin(), macro.targets.end(), k) == macro.targets.end())
                kwargs.set(Value::string(k), v);
        }
        for (size_t i = 0; i < n; ++i) {
            const std::string &param = macro.targets[i];
            if (const Value *v = args.get(i, param))
                s->set(param, *v);
            else if (macro.defaults[i])
                s->set(param, eval(*macro.defaults[i], s));
            else
                s->set(param, Value::undefined("parameter '" + param + "' was not provided"));
        }
        s->set("varargs", Value::list(std::move(varargs)));
        s->set("kwargs", Value::dict(std::move(kwargs)));
        Capture capture(*this);
        execBody(macro.bodies[0], s);
        return Value::string(std::move(capture.buffer));
    }

    Value applyBlockFilter(const Expr &filter, std::string text, const ScopePtr &scope)
    {
        auto s = child(scope);
        s->set(kBlockVariable, Value::string(std::move(text)));
        return eval(filter, s);
    }

    Flow execInner(const Stmt &st, const ScopePtr &scope)
    {
        switch (st.kind) {
        case StmtKind::Text:
            emit(st.text);
            return Flow::Normal;
        case StmtKind::Output:
            emit(str(eval(*st.expr, scope)));
            return Flow::Normal;
        case StmtKind::If:
            for (size_t i = 0; i < st.conditions.size(); ++i) {
                if (truthy(eval(*st.conditions[i], scope)))
                    return execBody(st.bodies[i], scope);
            }
            if (st.bodies.size() > st.conditions.size())
                return execBody(st.bodies.back(), scope);
            return Flow::Normal;
        case StmtKind::For:
            return execFor(st, scope);
        case StmtKind::Set: {
            Value value = eval(*st.expr, scope);
            if (!st.text.empty()) {
                const Value ns = lookup(st.targets[0], scope);
                if (!ns.isNamespace())
                    throwRuntime("cannot assign attribute on non-namespace object '" +
                                 st.targets[0] +
                                 "' (use namespace() for state that a loop "
                                 "changes)");
                ns.namespaceDict().set(Value::string(st.text), std::move(value));
            } else {
                bind(*scope, st.targets, value);
            }
            return Flow::Normal;
        }
        case StmtKind::SetBlock: {
            std::string text;
            {
                Capture capture(*this);
                execBody(st.bodies[0], child(scope));
                text = std::move(capture.buffer);
            }
            Value value = st.filter ? applyBlockFilter(*st.filter, std::move(text), scope)
                                    : Value::string(std::move(text));
            scope->set(st.targets[0], std::move(value));
            return Flow::Normal;
        }
        case StmtKind::FilterBlock: {
            std::string text;
            {
                Capture capture(*this);
                execBody(st.bodies[0], child(scope));
                text = std::move(capture.buffer);
            }
            emit(str(applyBlockFilter(*st.filter, std::move(text), scope)));
            return Flow::Normal;
        }
        case StmtKind::Break:
            return Flow::Break;
        case StmtKind::Continue:
            return Flow::Continue;
        case StmtKind::Macro: {
            const Stmt *macro = &st;
            ScopePtr definedIn = scope;
            // The scope holds the macro and the macro holds the scope: a weak link breaks the
            // cycle, and the scope outlives every call made while the template renders.
            std::weak_ptr<Scope> weak = definedIn;
            scope->set(st.text, Value::function(st.text, [this, macro, weak](const CallArgs &a) {
                           ScopePtr s = weak.lock();
                           if (!s)
                               throwRuntime("macro '" + macro->text +
                                            "' called after its scope ended");
                           return callMacro(*macro, s, a);
                       }));
            return Flow::Normal;
        }
        case StmtKind::Scope:
            return execBody(st.bodies[0], child(scope));
        }
        return Flow::Normal;
    }

    CallArgs evalArgs(const Expr &e, size_t first, const ScopePtr &scope)
    {
        CallArgs args;
        for (size_t i = first; i < e.args.size(); ++i)
            args.positional.push_back(eval(*e.args[i], scope));
        for (const auto &[k, v] : e.kwargs)
            args.keywords.emplace_back(k, eval(*v, scope));
        return args;
    }

    bool compareOp(const std::string &op, const Value &a, const Value &b)
    {
        if (op == "==")
            return equals(a, b);
        if (op == "!=")
            return !equals(a, b);
        if (op == "in")
            return contains(b, a);
        if (op == "not in")
            return !contains(b, a);
        const int c = compare(a, b, op.c_str());
        if (op == "<")
            return c < 0;
        if (op == "<=")
            return c <= 0;
        if (op == ">")
            return c > 0;
        return c >= 0;
    }

    Value eval(const Expr &e, const ScopePtr &scope)
    {
        DepthGuard guard(*this);
        switch (e.kind) {
        case ExprKind::Const:
            return e.value;
        case ExprKind::Name:
            return lookup(e.name, scope);
        case ExprKind::List: {
            checkListSize(e.args.size());
            ValueList items;
            items.reserve(e.args.size());
            for (const auto &a : e.args)
                items.push_back(eval(*a, scope));
            return e.name == "tuple" ? Value::tuple(std::move(items))
                                     : Value::list(std::move(items));
        }
        case ExprKind::Dict: {
            ValueDict d;
            for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
                Value key = eval(*e.args[i], scope);
                if (key.isList() || key.isDict() || key.isNamespace() || key.isUndefined())
                    throwRuntime("unhashable type: '" + typeName(key) + "'");
                d.set(key, eval(*e.args[i + 1], scope));
            }
            return Value::dict(std::move(d));
        }
        case ExprKind::GetAttr:
            return getAttr(eval(*e.args[0], scope), e.name);
        case ExprKind::GetItem: {
            Value obj = eval(*e.args[0], scope);
            return getItem(obj, eval(*e.args[1], scope));
        }
        case ExprKind::Slice: {
            Value obj = eval(*e.args[0], scope);
            auto part = [&](size_t i) {
                return e.args[i] ? eval(*e.args[i], scope) : Value::none();
            };
            return sliceOf(obj, part(1), part(2), part(3));
        }
        case ExprKind::Call: {
            const Expr &callee = *e.args[0];
            Value fn;
            if (callee.kind == ExprKind::GetAttr) {
                Value obj = eval(*callee.args[0], scope);
                if (obj.isUndefined())
                    throwUndefined(obj);
                CallArgs args = evalArgs(e, 1, scope);
                if (auto r = callMethod(obj, callee.name, args))
                    return *r;
                fn = getAttr(obj, callee.name);
                if (fn.isCallable())
                    return fn.asCallable().call(args);
            } else {
                fn = eval(callee, scope);
            }
            if (fn.isUndefined())
                throwUndefined(fn);
            if (!fn.isCallable())
                throwRuntime("'" + typeName(fn) + "' object is not callable");
            return fn.asCallable().call(evalArgs(e, 1, scope));
        }
        case ExprKind::Filter: {
            Value value = eval(*e.args[0], scope);
            return applyFilter(e.name, value, evalArgs(e, 1, scope));
        }
        case ExprKind::Test: {
            Value value = eval(*e.args[0], scope);
            const bool r = applyTest(e.name, value, evalArgs(e, 1, scope));
            return Value::boolean(e.negated ? !r : r);
        }
        case ExprKind::Unary:
            return unaryOp(e.name, eval(*e.args[0], scope));
        case ExprKind::Binary: {
            if (e.name == "and" || e.name == "or") {
                Value left = eval(*e.args[0], scope);
                if (truthy(left) == (e.name == "or"))
                    return left;
                return eval(*e.args[1], scope);
            }
            Value left = eval(*e.args[0], scope);
            return binaryOp(e.name, left, eval(*e.args[1], scope));
        }
        case ExprKind::Compare: {
            Value left = eval(*e.args[0], scope);
            for (size_t i = 0; i < e.ops.size(); ++i) {
                Value right = eval(*e.args[i + 1], scope);
                if (!compareOp(e.ops[i], left, right))
                    return Value::boolean(false);
                left = std::move(right);
            }
            return Value::boolean(true);
        }
        case ExprKind::CondExpr:
            if (truthy(eval(*e.args[0], scope)))
                return eval(*e.args[1], scope);
            if (e.args[2])
                return eval(*e.args[2], scope);
            return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                    " evaluated to false and no else section was defined.");
        }
        return Value();
    }

    ScopePtr m_globals;
    std::string *m_out = nullptr;
    int m_depth = 0;
    uint64_t m_steps = 0;
};

} // namespace

std::string renderTemplate(const Program &program,
                           const std::vector<std::pair<std::string, Value>> &variables)
{
    Renderer renderer(variables);
    return renderer.run(program);
}

} // namespace wb::jinja
