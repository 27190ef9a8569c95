package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// This file holds what the endpoint methods share: their paths, and the
// shapes of a call (one resource, a result that must name what it made, an
// undocumented result, an undocumented list), all through Client.do.

// idPath is prefix/id for a resource id, which must be positive (what names
// the resource in the error).
func idPath(prefix string, id Int64, what string) (string, error) {
	if id <= 0 {
		return "", fmt.Errorf("chat2query: invalid %s id %d", what, id)
	}
	return prefix + "/" + id.String(), nil
}

// childPath is parent/segment/name with name escaped, for a name that must
// not be empty (what names it in the error); err is parent's error, if any.
func childPath(parent string, err error, segment, name, what string) (string, error) {
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", errors.New("chat2query: empty " + what)
	}
	return parent + "/" + segment + "/" + url.PathEscape(name), nil
}

// call sends a request and decodes its result as a T. When has is not nil
// it says whether the result holds what every such response must (named by
// required, e.g. "job_id"); a result without it is a *DecodeError.
func call[T any](ctx context.Context, c *Client, method, path string, body any, required string, has func(*T) bool) (*T, error) {
	var v T
	if err := c.do(ctx, method, path, body, &v); err != nil {
		return nil, err
	}
	if has != nil && !has(&v) {
		return nil, &DecodeError{What: method + " " + path + " response", Err: fmt.Errorf("no %s in the result", required)}
	}
	return &v, nil
}

// get fetches one resource: GET path, decoded as a T.
func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	return call[T](ctx, c, http.MethodGet, path, nil, "", nil)
}

// ack sends a request whose result is undocumented.
func (c *Client) ack(ctx context.Context, method, path string, body any) (*Ack, error) {
	var raw json.RawMessage
	if err := c.do(ctx, method, path, body, &raw); err != nil {
		return nil, err
	}
	return newAck(raw), nil
}

// getList fetches a list whose shape is undocumented (see decodeList).
func getList[T any](ctx context.Context, c *Client, path string, keys ...string) ([]T, error) {
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, path, nil, &raw); err != nil {
		return nil, err
	}
	items, err := decodeList[T](raw, keys...)
	if err != nil {
		return nil, &DecodeError{What: "GET " + path + " response", Err: err, Excerpt: c.clean(string(raw))}
	}
	return items, nil
}
