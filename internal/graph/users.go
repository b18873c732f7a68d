package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// User is a user as certificate-based authentication sees it: its ids and authorizationInfo.certificateUserIds.
// Requests are built here without msgraph-sdk-go's users package, which would add minutes to a cold build for two
// calls.
type User struct {
	ID                 string
	UserPrincipalName  string
	CertificateUserIDs []string
}

// userSelect is what GetUser asks for: Graph returns authorizationInfo only when $select names it.
const userSelect = "id,userPrincipalName,authorizationInfo"

func userPath(idOrUPN string) string { return "/users/" + idOrUPN }

var errorMappings = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

func (c *Client) userRequest(method abs.HttpMethod, idOrUPN string) *abs.RequestInformation {
	ri := abs.NewRequestInformation()
	ri.Method = method
	ri.UrlTemplate = "{+baseurl}/users/{user%2Did}{?%24select}"
	ri.PathParameters = map[string]string{"user%2Did": idOrUPN}
	ri.Headers.TryAdd("Accept", "application/json")
	return ri
}

// GetUser reads a user by object ID or user principal name (GET /users/{id | userPrincipalName}).
func (c *Client) GetUser(ctx context.Context, idOrUPN string) (*User, error) {
	if idOrUPN == "" {
		return nil, errEmptyID("user")
	}
	path := userPath(idOrUPN)
	body, err := call(ctx, http.MethodGet, path, func(ctx context.Context) ([]byte, error) {
		ri := c.userRequest(abs.GET, idOrUPN)
		ri.QueryParameters["%24select"] = userSelect
		v, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", errorMappings)
		b, _ := v.([]byte)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, errEmptyAnswer(http.MethodGet, path)
	}
	return decodeUser(body, http.MethodGet, path)
}

type wireUser struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	AuthorizationInfo *struct {
		CertificateUserIDs []string `json:"certificateUserIds"`
	} `json:"authorizationInfo"`
}

// decodeUser reads a user; one without id is an error, never an empty user.
func decodeUser(body []byte, method, path string) (*User, error) {
	var w wireUser
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("graph: %s %s: the answer is not a user's JSON: %w", method, path, err)
	}
	return w.user(method, path)
}

func (w wireUser) user(method, path string) (*User, error) {
	if w.ID == "" {
		return nil, fmt.Errorf("graph: %s %s: Graph answered with a user that has no id", method, path)
	}
	u := &User{ID: w.ID, UserPrincipalName: w.UserPrincipalName, CertificateUserIDs: []string{}}
	if w.AuthorizationInfo != nil && w.AuthorizationInfo.CertificateUserIDs != nil {
		u.CertificateUserIDs = w.AuthorizationInfo.CertificateUserIDs
	}
	return u, nil
}

// PatchCertificateUserIDs replaces the user's whole authorizationInfo.certificateUserIds with values (PATCH, 204)
// once; the retry middleware re-sends it when throttled or when its answer is lost (it is idempotent).
func (c *Client) PatchCertificateUserIDs(ctx context.Context, id string, values []string) error {
	if id == "" {
		return errEmptyID("user")
	}
	if values == nil {
		values = []string{}
	}
	body, err := json.Marshal(map[string]any{"authorizationInfo": map[string]any{"certificateUserIds": values}})
	if err != nil {
		return err
	}
	_, err = call(ctx, http.MethodPatch, userPath(id), func(ctx context.Context) (struct{}, error) {
		ri := c.userRequest(abs.PATCH, id)
		ri.SetStreamContentAndContentType(body, "application/json")
		return struct{}{}, c.adapter.SendNoContent(ctx, ri, errorMappings)
	})
	return err
}

// FindUsersByCertificateUserID lists the users holding value in certificateUserIds (an advanced query:
// $count=true and ConsistencyLevel: eventual, as Graph requires for this filter).
func (c *Client) FindUsersByCertificateUserID(ctx context.Context, value string) ([]User, error) {
	const path = "/users"
	body, err := call(ctx, http.MethodGet, path, func(ctx context.Context) ([]byte, error) {
		ri := abs.NewRequestInformation()
		ri.Method = abs.GET
		ri.UrlTemplate = "{+baseurl}/users{?%24count,%24filter,%24select}"
		ri.PathParameters = map[string]string{}
		ri.QueryParameters["%24count"] = "true"
		ri.QueryParameters["%24filter"] = "authorizationInfo/certificateUserIds/any(x:x eq " + odataString(value) + ")"
		ri.QueryParameters["%24select"] = userSelect
		ri.Headers.TryAdd("Accept", "application/json")
		ri.Headers.TryAdd("ConsistencyLevel", "eventual")
		v, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", errorMappings)
		b, _ := v.([]byte)
		return b, err
	})
	if err != nil {
		return nil, err
	}
	var page struct {
		Value []wireUser `json:"value"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("graph: GET %s: the answer is not a list of users: %w", path, err)
	}
	out := make([]User, 0, len(page.Value))
	for _, w := range page.Value {
		u, err := w.user(http.MethodGet, path)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, nil
}

// IsCertificateUserIDConflict reports whether Graph refused a PATCH because another user already holds one of the
// values (400 "Another object with the same value for property certificateUserIds already exists."). Graph's code
// for it is the generic Request_BadRequest, so the message tells it apart.
func IsCertificateUserIDConflict(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.StatusCode == http.StatusBadRequest &&
		strings.Contains(strings.ToLower(ge.Message), "same value for property certificateuserids")
}
