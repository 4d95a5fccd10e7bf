#pragma once
/// @file
/// Where the registrar's users and passwords come from. The UserAgent asks a
/// CredentialSource when a request carries digest credentials; the source may
/// answer at once (StaticCredentials) or later from another thread (a host
/// backing it with SQLite or PostgreSQL does the lookup off the control
/// thread, which must never wait on a store).

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace libconf::sip {

/// One user's secret for digest authentication (RFC 2617/3261, MD5).
struct Credential {
  std::string user;
  std::string password;  ///< clear text; or leave empty and give ha1
  std::string ha1;       ///< hex MD5(user ":" realm ":" password), used when password is empty
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  /// Called once per lookup, with the credential or nullopt (unknown user).
  /// Thread-safe: may be called on any thread, before or after find() returns.
  using Reply = std::function<void(std::optional<Credential>)>;
  /// Looks up user in realm. Called on the UserAgent's control thread; must
  /// not block (answer now, or hand the lookup to a worker and reply later).
  virtual void find(const std::string& user, const std::string& realm, Reply reply) = 0;
};

/// A fixed table of users and clear-text passwords (tests, demos, small sites).
class StaticCredentials final : public CredentialSource {
 public:
  StaticCredentials() = default;
  explicit StaticCredentials(std::map<std::string, std::string> passwords) : passwords_(std::move(passwords)) {}
  void set(const std::string& user, const std::string& password) { passwords_[user] = password; }
  void find(const std::string& user, const std::string& realm, Reply reply) override;

 private:
  std::map<std::string, std::string> passwords_;
};

}  // namespace libconf::sip
