#pragma once
// JSON text for the file host's outputs (events.jsonl, summary.json): like
// boost::json::serialize, but numbers are plain decimals ("10.4", never
// "1.04E1"), the shortest text that reads back as the same double, so that
// jq, spreadsheets and people read them as they are. Configuration time and
// output only; allocates.

#include <boost/json.hpp>

#include <string>

namespace libconf::scenario::detail {

std::string to_json_text(const boost::json::value& value);

}  // namespace libconf::scenario::detail
