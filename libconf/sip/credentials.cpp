#include "libconf/sip/credentials.hpp"

namespace libconf::sip {

void StaticCredentials::find(const std::string& user, const std::string&, Reply reply) {
  auto it = passwords_.find(user);
  if (it == passwords_.end()) {
    reply(std::nullopt);
    return;
  }
  reply(Credential{user, it->second, {}});
}

}  // namespace libconf::sip
