module github.com/calltail/calltail

go 1.26
