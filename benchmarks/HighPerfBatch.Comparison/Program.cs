Console.WriteLine("The comparison lands with the benchmark issue.");
