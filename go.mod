module github.com/isachub/isachub

go 1.26
