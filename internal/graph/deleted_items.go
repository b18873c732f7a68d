package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// DeletedItemRetention is how long Graph keeps a deleted PKI or CA restorable (the certificateBasedAuthPki and
// certificateAuthorityDetail pages: "deleted in the tenant in the last 30 days").
const DeletedItemRetention = 30 * 24 * time.Hour

// DeletedPKI is a PKI in Graph's deleted items (GET /directory/deletedItems/{id}).
type DeletedPKI struct {
	PKI
	DeletedDateTime time.Time
}

// RestorableUntil is when Graph forgets the deleted PKI for good.
func (d *DeletedPKI) RestorableUntil() time.Time { return d.DeletedDateTime.Add(DeletedItemRetention) }

const deletedItemsPath = "/directory/deletedItems"

func (c *Client) deletedItems() *directory.DeletedItemsRequestBuilder {
	return directory.NewDeletedItemsRequestBuilderInternal(map[string]string{}, c.adapter)
}

// GetDeletedPKI reads a PKI in the deleted items. A 404 (never deleted, restored, or purged) is IsNotFound, and so is
// a deleted item that is not a PKI.
func (c *Client) GetDeletedPKI(ctx context.Context, id string) (*DeletedPKI, error) {
	if id == "" {
		return nil, errEmptyID("PKI")
	}
	path := deletedItemsPath + "/" + id
	m, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.DirectoryObjectable, error) {
		return c.deletedItems().ByDirectoryObjectId(id).Get(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodGet, path)
	}
	pm, ok := m.(models.CertificateBasedAuthPkiable)
	if !ok {
		return nil, &Error{StatusCode: http.StatusNotFound, Code: "Request_ResourceNotFound", Method: http.MethodGet, Path: path,
			Message: fmt.Sprintf("deleted item %s is a %s, not a certificateBasedAuthPki", id, deref(m.GetOdataType()))}
	}
	p, err := toPKI(pm, http.MethodGet, path)
	if err != nil {
		return nil, err
	}
	return &DeletedPKI{PKI: *p, DeletedDateTime: timeUTC(pm.GetDeletedDateTime())}, nil
}

// RestorePKI restores a deleted PKI with its CAs (POST /directory/deletedItems/{id}/restore): it keeps its id.
// Like every POST it is not re-sent after a lost answer; the caller reads the PKI to learn whether it came back.
func (c *Client) RestorePKI(ctx context.Context, id string) (*PKI, error) {
	if id == "" {
		return nil, errEmptyID("PKI")
	}
	path := deletedItemsPath + "/" + id + "/restore"
	defer c.pkiWrite(id)()
	m, err := call(ctx, http.MethodPost, path, func(ctx context.Context) (models.DirectoryObjectable, error) {
		return c.deletedItems().ByDirectoryObjectId(id).Restore().Post(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	pm, ok := m.(models.CertificateBasedAuthPkiable)
	if !ok || pm == nil {
		return nil, fmt.Errorf("graph: POST %s: Graph answered without the restored PKI", path)
	}
	return toPKI(pm, http.MethodPost, path)
}

// PurgeDeletedItem deletes a deleted PKI or CA for good (DELETE /directory/deletedItems/{id}).
func (c *Client) PurgeDeletedItem(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID("deleted item")
	}
	_, err := call(ctx, http.MethodDelete, deletedItemsPath+"/"+id, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.deletedItems().ByDirectoryObjectId(id).Delete(ctx, nil)
	})
	return err
}

// DeletedCertificateAuthority is a CA deleted on its own, in Graph's deleted items (the certificateAuthorityDetail
// page lists the same deleted-items methods as the PKI's). Restoring it puts it back into its PKI with its id.
type DeletedCertificateAuthority struct {
	CertificateAuthority
	DeletedDateTime time.Time
}

// GetDeletedCertificateAuthority reads a CA in the deleted items by its id; a 404, or a deleted item that is not a
// CA, is IsNotFound.
func (c *Client) GetDeletedCertificateAuthority(ctx context.Context, id string) (*DeletedCertificateAuthority, error) {
	if id == "" {
		return nil, errEmptyID("certificate authority")
	}
	path := deletedItemsPath + "/" + id
	m, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.DirectoryObjectable, error) {
		return c.deletedItems().ByDirectoryObjectId(id).Get(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	cm, ok := m.(models.CertificateAuthorityDetailable)
	if !ok || cm == nil || deref(cm.GetId()) == "" {
		return nil, &Error{StatusCode: http.StatusNotFound, Code: "Request_ResourceNotFound", Method: http.MethodGet, Path: path,
			Message: fmt.Sprintf("deleted item %s is no certificateAuthorityDetail", id)}
	}
	return &DeletedCertificateAuthority{CertificateAuthority: *toCertificateAuthority(cm), DeletedDateTime: timeUTC(cm.GetDeletedDateTime())}, nil
}

// RestoreCertificateAuthority restores a CA deleted on its own into its PKI (POST /directory/deletedItems/{id}/restore).
func (c *Client) RestoreCertificateAuthority(ctx context.Context, id string) (*CertificateAuthority, error) {
	if id == "" {
		return nil, errEmptyID("certificate authority")
	}
	path := deletedItemsPath + "/" + id + "/restore"
	m, err := call(ctx, http.MethodPost, path, func(ctx context.Context) (models.DirectoryObjectable, error) {
		return c.deletedItems().ByDirectoryObjectId(id).Restore().Post(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	cm, ok := m.(models.CertificateAuthorityDetailable)
	if !ok || cm == nil || deref(cm.GetId()) == "" {
		return nil, fmt.Errorf("graph: POST %s: Graph answered without the restored certificate authority", path)
	}
	return toCertificateAuthority(cm), nil
}
