package main

func a() int {
	// ruleid: err-ignored
	v, err := compute()
	log(v)
	return v
}

func b() {
	f := open()
	// ruleid: defer-close
	defer f.Close()
	// ok: defer-close
	defer cleanup()
}

func c() int {
	// ok: err-ignored
	v := compute2()
	return v
}
