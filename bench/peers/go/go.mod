module wispbench

go 1.19
