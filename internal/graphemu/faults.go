package graphemu

import (
	"path"
	"strings"
)

// Fault scripts an answer for matching requests.
type Fault struct {
	// Method ("" = any) and Path, a pattern below /v1.0 where * matches one path segment,
	// e.g. "/identity/apiConnectors/*/uploadClientCertificate" ("" = any route).
	Method, Path string
	// Count is how many matching requests get the fault (0 = 1).
	Count int
	// Status (0 = 503) and Code are answered in Graph's error shape (Code defaults per status); RetryAfter sets
	// the header.
	Status     int
	Code       string
	RetryAfter string
	// DropAfterProcessing processes the request normally, then closes the connection without answering
	// (the lost-response case). Status is ignored then.
	DropAfterProcessing bool
	// Probability, when > 0, answers each matching request with the fault at this rate (0..1) instead of
	// counting; used for throttling storms. Count is ignored then.
	Probability float64
}

type activeFault struct {
	Fault
	remaining int
}

// takeFault returns the first scripted fault matching the request, consuming one use of it.
func (e *Emulator) takeFault(method, p string) (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.faults {
		if !methodMatches(f.Method, method) || !pathMatches(f.Path, p) {
			continue
		}
		if f.Probability > 0 {
			if e.rng.Float64() < f.Probability {
				return f.Fault, true
			}
			continue
		}
		f.remaining--
		if f.remaining <= 0 {
			e.faults = append(e.faults[:i:i], e.faults[i+1:]...)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

func methodMatches(pattern, method string) bool {
	return pattern == "" || strings.EqualFold(pattern, method)
}

// pathMatches applies path.Match case-insensitively, because Graph's path segments are case-insensitive
// (the docs themselves write /identity/apiconnectors); a trailing slash is ignored on both sides.
func pathMatches(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	pattern = strings.TrimSuffix(strings.ToLower(pattern), "/")
	p = strings.TrimSuffix(strings.ToLower(p), "/")
	ok, err := path.Match(pattern, p)
	return err == nil && ok
}

// defaultCode is the Graph error code used for a fault's status when the fault names none.
func defaultCode(status int) string {
	switch status {
	case 400:
		return "BadRequest"
	case 401:
		return "InvalidAuthenticationToken"
	case 403:
		return "Authorization_RequestDenied"
	case 404:
		return "ResourceNotFound"
	case 405:
		return "MethodNotAllowed"
	case 409:
		return "Conflict"
	case 412:
		return "PreconditionFailed"
	case 415:
		return "UnsupportedMediaType"
	case 429:
		return "TooManyRequests"
	case 500:
		return "InternalServerError"
	case 502:
		return "BadGateway"
	case 503:
		return "ServiceUnavailable"
	case 504:
		return "GatewayTimeout"
	}
	if status >= 500 {
		return "UnknownError"
	}
	return "BadRequest"
}

func defaultMessage(status int) string {
	switch status {
	case 429:
		return "Too many requests. Please retry after the time given in the Retry-After header."
	case 503:
		return "The service is temporarily unavailable. Please retry later."
	case 504:
		return "The gateway timed out."
	}
	if status >= 500 {
		return "An internal server error occurred."
	}
	return "The request could not be processed."
}
