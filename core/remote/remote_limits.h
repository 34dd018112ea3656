#pragma once

// The limits a remote endpoint keeps: a counting semaphore for requests in flight, a rate
// limiter for request starts, and the retry delays. Each wait takes a cancellation check and
// returns false when it turned true. Kept apart from the HTTP code so tests can time them alone.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace wb::remote {

using Clock = std::chrono::steady_clock;
using StopCheck = std::function<bool()>;

// Sleeps until `deadline`, checking `stop` every few milliseconds. False when stopped.
bool sleepUntil(Clock::time_point deadline, const StopCheck &stop);
inline bool sleepFor(double seconds, const StopCheck &stop)
{
    return sleepUntil(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(seconds)),
                      stop);
}

// At most `limit` holders at once, shared by every complete() call on one endpoint.
class ConcurrencySlots final
{
public:
    explicit ConcurrencySlots(int limit) : m_limit(limit < 1 ? 1 : limit) {}
    ConcurrencySlots(const ConcurrencySlots &) = delete;
    ConcurrencySlots &operator=(const ConcurrencySlots &) = delete;

    // Waits for a free slot. False (and no slot taken) when `stop` turned true first.
    bool acquire(const StopCheck &stop);
    void release();
    int inUse() const;
    int limit() const { return m_limit; }

private:
    const int m_limit;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_used = 0;
};

// Holds a slot for a scope.
class SlotGuard final
{
public:
    explicit SlotGuard(ConcurrencySlots &slots) : m_slots(slots) {}
    ~SlotGuard() { m_slots.release(); }
    SlotGuard(const SlotGuard &) = delete;
    SlotGuard &operator=(const SlotGuard &) = delete;

private:
    ConcurrencySlots &m_slots;
};

// At most `rpm` starts in any rolling minute. Starts are spaced evenly, 60/rpm seconds apart,
// rather than let through in a burst of rpm: servers that count per minute often enforce it
// per second too, and an even pace never trips either.
class RateLimiter final
{
public:
    explicit RateLimiter(int rpm) : m_rpm(rpm) {}
    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    // Reserves the next start time and waits for it. False when `stop` turned true first (the
    // reservation is then given up, so later callers are not held back by it).
    bool acquire(const StopCheck &stop);
    int rpm() const { return m_rpm; }

private:
    const int m_rpm; // 0: no limit
    std::mutex m_mutex;
    std::optional<Clock::time_point> m_next;
};

// The delay before retry `retry` (0 for the first retry): 0.5 s · 2^retry, capped at 30 s, plus
// up to 25 % random jitter so that clients that failed together do not retry together. A
// Retry-After from the server wins (plus up to 0.1 s of jitter).
double backoffSeconds(int retry, std::optional<double> retryAfter, std::mt19937_64 &rng);

// Retry-After as seconds ("3", "1.5"); nullopt for an HTTP date or garbage. Capped at 300 s.
std::optional<double> parseRetryAfter(const std::string &value);

} // namespace wb::remote
