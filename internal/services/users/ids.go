package users

import (
	"github.com/entracert/terraform-provider-entracert/internal/services/common"

	"regexp"
	"strconv"
	"strings"
)

var guidPattern = common.GUIDPattern

// upnPattern is alias@domain with no blanks: what Entra's userPrincipalName looks like (its characters are checked
// by Graph).
var upnPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// objectID returns s lower case when it is a GUID (Graph writes object IDs lower case and compares them
// case-insensitively).
func objectID(s string) (string, bool) {
	if !guidPattern.MatchString(s) {
		return "", false
	}
	return strings.ToLower(s), true
}

func isUPN(s string) bool { return upnPattern.MatchString(s) }

// userIDForm is the expected form of user_id and of the import ID.
const userIDForm = "the user's object ID (a GUID such as 6b2d3bd3-b078-4f46-ac53-f862f35e10b6) or user principal name " +
	"(alias@domain, such as bob@contoso.com)"

// userIDProblem returns "" when s is an object ID or a UPN, else what is wrong with it; what names it ("user_id",
// "The import ID").
func userIDProblem(what, s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return what + " is empty: set it to " + userIDForm + "."
	case strings.TrimSpace(s) != s:
		return what + " " + quoteShort(s) + " starts or ends with blanks: remove them. Expected " + userIDForm + "."
	}
	if _, ok := objectID(s); ok || isUPN(s) {
		return ""
	}
	return what + " " + quoteShort(s) + " is neither a GUID nor a user principal name. Expected " + userIDForm + "."
}

// sameUser reports whether the user_id value v names the user whose object ID is id and UPN is upn.
func sameUser(v, id, upn string) bool {
	if g, ok := objectID(v); ok {
		return strings.EqualFold(g, id)
	}
	return upn != "" && strings.EqualFold(v, upn)
}

// quoteShort quotes s for a diagnostic, cut to 80 characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return strconv.Quote(s)
}
