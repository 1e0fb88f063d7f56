module lambdasim

go 1.22
