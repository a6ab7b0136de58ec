# @ORG_NAME@'s own purchasing rules, next to the shipped ban decision.
# Input: see the README ("Writing policies"). Tests: @ORG_PKG@_test.rego (`procgate test`).
package @ORG_PKG@.purchasing

import rego.v1

# Telecommunications purchases need a written justification.
deny contains {
	"rule": "@ORG@.telecom-justification",
	"pointer": "/use",
	"msg": "telecommunications purchases need a justification (add `justification:`)",
} if {
	input.document.kind == "purchase-request"
	"telecommunications" in object.get(input.document.data, "use", [])
	not input.document.data.justification
}
