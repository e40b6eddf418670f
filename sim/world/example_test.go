package world_test

import (
	"fmt"

	"github.com/settle-sim/settle/sim/world"
)

func ExampleLoad() {
	w, err := world.Load("teaching", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d regions, %d residents\n", w.Name, w.N(), w.Population())
	city, _ := w.Lookup("storhavn")
	island, _ := w.Lookup("Holmoy") // diacritics may be left out
	quay, _ := w.Lookup("T13")
	c := w.Regions[city]
	fmt.Printf("%s: centrality class %d, %d study places\n", c.Name, c.Centrality, c.StudyPlaces)
	fmt.Printf("%s to %s: %.0f minutes by ferry\n", w.Regions[island].Name, w.Regions[quay].Name, w.TravelMinutes(island, quay))
	// Output:
	// teaching: 14 regions, 399200 residents
	// Storhavn: centrality class 1, 15000 study places
	// Holmøy to Sjøvik: 75 minutes by ferry
}

func ExampleWorld_Lookup() {
	w, err := world.Load("norway-2024", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	i, _ := w.Lookup("Kautokeino")
	fmt.Println(w.Regions[i].Code, w.Regions[i].Name)
	_, err = w.Lookup("Lillehamer")
	fmt.Println(err)
	// Output:
	// 5612 Guovdageaidnu - Kautokeino
	// unknown region "Lillehamer" in world norway-2024; did you mean "Lillehammer" (3405, Innlandet)?
}

func ExampleWorld_Reach() {
	w, _ := world.Load("teaching", "")
	city, _ := w.Lookup("Storhavn")
	for _, j := range w.Reach(world.CommuteMinutes)[city] {
		fmt.Printf("%s %.0f min\n", w.Regions[j].Name, w.TravelMinutes(city, int(j)))
	}
	// Output:
	// Storhavn 9 min
	// Lindvik 28 min
	// Åsen 27 min
}
