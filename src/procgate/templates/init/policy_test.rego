# Tests of @ORG_PKG@.rego: `procgate test` runs every test_* rule; `--coverage` shows the
# lines they reach.
package @ORG_PKG@.purchasing_test

import rego.v1

import data.@ORG_PKG@.purchasing

request(fields) := {"document": {"kind": "purchase-request", "path": "r.yaml", "data": fields}}

test_telecom_without_justification_is_denied if {
	d := purchasing.deny with input as request({"use": ["telecommunications"]})
	count(d) == 1
}

test_telecom_with_justification_passes if {
	d := purchasing.deny with input as request({"use": ["telecommunications"], "justification": "x"})
	count(d) == 0
}

test_other_use_passes if {
	count(purchasing.deny) == 0 with input as request({"use": ["general"]})
}
